package io.kspark.reconciler.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An API error rendered as {@code {"status": ..., "error": "..."}}. */
public final class ApiException extends WebApplicationException {

    public ApiException(int status, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiModel.Error(status, message)).build());
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
