package io.kspark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kspark.client.CoreApi;
import io.kspark.client.KubernetesApiException;
import io.kspark.k8s.KubernetesJson;
import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Creates a submission's objects in Spark's order: the driver pod, then everything it owns with a
 * controller owner reference to it. If any step fails after the pod exists, deletes what it created
 * (newest first) and reports the original failure, so a failed submission leaves nothing behind.
 *
 * <p>Objects go to the API server as JSON and its answers are read as JSON trees, not as typed pods and
 * services: building Jackson's deserializers for a pod's whole type graph would cost a one-shot
 * submission about 0.3 s, and only the metadata of what was created is needed.
 */
public final class Submitter {

    private static final Logger LOG = Logger.getLogger(Submitter.class);

    private final CoreApi api;

    public Submitter(CoreApi api) {
        this.api = api;
    }

    /** @return the driver pod as the API server stored it */
    public JsonNode create(DriverObjects objects) {
        String ns = objects.namespace();
        Created driver;
        try {
            driver = create(objects.driverPod(), ns, null);
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot create driver pod " + ns + "/" + objects.driverPodName(), e);
        }
        Deque<Created> created = new ArrayDeque<>();
        created.push(driver);
        JsonNode owner = KubernetesJson.SERIALIZATION.convertValue(controllerReference(driver.stored()), JsonNode.class);
        for (HasMetadata owned : objects.ownedObjects()) {
            try {
                created.push(create(owned, ns, owner));
            } catch (RuntimeException e) {
                List<String> leftovers = rollback(created, ns);
                String suffix = leftovers.isEmpty() ? "; removed the objects created so far"
                        : "; could not remove " + String.join(", ", leftovers);
                throw new KubernetesApiException("cannot create " + describe(owned, ns) + suffix, e);
            }
        }
        return driver.stored();
    }

    /** The body is a JSON copy: setting its owner reference leaves the planned object as it is. */
    private Created create(HasMetadata object, String ns, JsonNode owner) {
        if (!"v1".equals(object.getApiVersion())) {
            throw new IllegalStateException("a submission creates core (v1) objects only, not " + object.getApiVersion());
        }
        ObjectNode body = KubernetesJson.SERIALIZATION.convertValue(object, ObjectNode.class);
        if (owner != null) {
            ((ObjectNode) body.get("metadata")).putArray("ownerReferences").add(owner);
        }
        // The kind's API path comes from the model class's annotations: no discovery request.
        String plural = HasMetadata.getPlural(object.getClass());
        return new Created(plural, describe(object, ns), api.create(ns, plural, body.toString()));
    }

    /** An object the API server stored, with the collection it was created in (for the rollback). */
    private record Created(String plural, String described, JsonNode stored) {

        String name() {
            return stored.path("metadata").path("name").asText();
        }
    }

    static OwnerReference controllerReference(HasMetadata owner) {
        return controllerReference(owner.getApiVersion(), owner.getKind(), owner.getMetadata().getName(), owner.getMetadata().getUid());
    }

    private static OwnerReference controllerReference(JsonNode owner) {
        JsonNode metadata = owner.path("metadata");
        return controllerReference(owner.path("apiVersion").asText(), owner.path("kind").asText(), metadata.path("name").asText(),
                metadata.path("uid").asText());
    }

    private static OwnerReference controllerReference(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder()
                .withName(name)
                .withApiVersion(apiVersion)
                .withUid(uid)
                .withKind(kind)
                .withController(true)
                .build();
    }

    /** Deletes newest first; returns what could not be deleted. */
    private List<String> rollback(Deque<Created> created, String ns) {
        List<String> failed = new ArrayList<>();
        while (!created.isEmpty()) {
            Created next = created.pop();
            try {
                api.delete(ns, next.plural(), next.name());
            } catch (RuntimeException e) {
                LOG.warnf("rollback of %s failed: %s", next.described(), e.getMessage());
                failed.add(next.described());
            }
        }
        return failed;
    }

    static String describe(HasMetadata object, String ns) {
        return object.getKind() + " " + ns + "/" + object.getMetadata().getName();
    }
}
