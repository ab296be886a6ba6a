package io.kspark.reconciler.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error of the REST API is JSON, also those the framework raises before a resource method runs (a method the
 * path does not allow, 405; an Accept header it cannot serve, 406; a path under the API that names nothing, 404).
 */
public final class ApiErrors {

    @ServerExceptionMapper
    public Response asJson(WebApplicationException e) {
        if (e instanceof ApiException) {
            return e.getResponse();
        }
        int status = e.getResponse().getStatus();
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiModel.Error(status, reason)).build();
    }
}
