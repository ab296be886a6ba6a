package io.kspark.submit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kspark.client.KubernetesApiException;
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
 * <p>Objects go to the API server as generic resources: the answers are read as plain maps, not as
 * typed pods and services, because building Jackson's deserializers for a pod's whole type graph would
 * cost a one-shot submission about 0.3 s, and only the metadata of what was created is needed.
 */
public final class Submitter {

    private static final Logger LOG = Logger.getLogger(Submitter.class);

    private final KubernetesClient client;

    public Submitter(KubernetesClient client) {
        this.client = client;
    }

    /** @return the driver pod as the API server stored it (apiVersion, kind, metadata; the rest as a map) */
    public GenericKubernetesResource create(DriverObjects objects) {
        String ns = objects.namespace();
        Created driver;
        try {
            driver = create(objects.driverPod(), ns, List.of());
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot create driver pod " + ns + "/" + objects.driverPodName(), e);
        }
        Deque<Created> created = new ArrayDeque<>();
        created.push(driver);
        OwnerReference owner = controllerReference(driver.stored());
        for (HasMetadata owned : objects.ownedObjects()) {
            try {
                created.push(create(owned, ns, List.of(owner)));
            } catch (RuntimeException e) {
                List<String> leftovers = rollback(created, ns);
                String suffix = leftovers.isEmpty() ? "; removed the objects created so far"
                        : "; could not remove " + String.join(", ", leftovers);
                throw new KubernetesApiException("cannot create " + describe(owned, ns) + suffix, e);
            }
        }
        return driver.stored();
    }

    /** The body is a converted copy: setting its owner references leaves the planned object as it is. */
    private Created create(HasMetadata object, String ns, List<OwnerReference> owners) {
        // The kind's API path comes from the model class's annotations: no discovery request.
        ResourceDefinitionContext context = ResourceDefinitionContext.fromResourceType(object.getClass());
        GenericKubernetesResource body = client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        if (!owners.isEmpty()) {
            body.getMetadata().setOwnerReferences(owners);
        }
        return new Created(context, client.genericKubernetesResources(context).inNamespace(ns).resource(body).create());
    }

    /** An object the API server stored, with the API path it was created at (for the rollback). */
    private record Created(ResourceDefinitionContext context, GenericKubernetesResource stored) {
    }

    static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withName(owner.getMetadata().getName())
                .withApiVersion(owner.getApiVersion())
                .withUid(owner.getMetadata().getUid())
                .withKind(owner.getKind())
                .withController(true)
                .build();
    }

    /** Deletes newest first; returns what could not be deleted. */
    private List<String> rollback(Deque<Created> created, String ns) {
        List<String> failed = new ArrayList<>();
        while (!created.isEmpty()) {
            Created next = created.pop();
            HasMetadata object = next.stored();
            try {
                client.genericKubernetesResources(next.context()).inNamespace(ns).withName(object.getMetadata().getName()).delete();
            } catch (RuntimeException e) {
                LOG.warnf("rollback of %s failed: %s", describe(object, ns), e.getMessage());
                failed.add(describe(object, ns));
            }
        }
        return failed;
    }

    static String describe(HasMetadata object, String ns) {
        return object.getKind() + " " + ns + "/" + object.getMetadata().getName();
    }
}
