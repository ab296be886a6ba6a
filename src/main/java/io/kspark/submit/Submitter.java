package io.kspark.submit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 */
public final class Submitter {

    private static final Logger LOG = Logger.getLogger(Submitter.class);

    private final KubernetesClient client;

    public Submitter(KubernetesClient client) {
        this.client = client;
    }

    /** @return the driver pod as the API server stored it */
    public Pod create(DriverObjects objects) {
        String ns = objects.namespace();
        Pod driver;
        try {
            driver = client.pods().inNamespace(ns).resource(objects.driverPod()).create();
        } catch (RuntimeException e) {
            throw new KubernetesApiException("cannot create driver pod " + ns + "/" + objects.driverPodName(), e);
        }
        Deque<HasMetadata> created = new ArrayDeque<>();
        created.push(driver);
        OwnerReference owner = controllerReference(driver);
        for (HasMetadata object : objects.ownedObjects()) {
            HasMetadata owned = Copies.of(object);
            owned.getMetadata().setOwnerReferences(List.of(owner));
            try {
                created.push(client.resource(owned).inNamespace(ns).create());
            } catch (RuntimeException e) {
                List<String> leftovers = rollback(created, ns);
                String suffix = leftovers.isEmpty() ? "; removed the objects created so far"
                        : "; could not remove " + String.join(", ", leftovers);
                throw new KubernetesApiException("cannot create " + describe(owned, ns) + suffix, e);
            }
        }
        return driver;
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
    private List<String> rollback(Deque<HasMetadata> created, String ns) {
        List<String> failed = new ArrayList<>();
        while (!created.isEmpty()) {
            HasMetadata object = created.pop();
            try {
                client.resource(object).inNamespace(ns).delete();
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
