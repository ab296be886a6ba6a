package io.kspark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.resource.ExecutorResourceRequest;
import org.apache.spark.resource.ResourceProfile;

import java.util.Map;
import java.util.TreeMap;

/**
 * The executor resources of the resource profiles other than the default that Spark asked executors for, as the value
 * of {@value #ANNOTATION}: profile id to Spark's executor resource requests (memory in MiB, as Spark keeps it), e.g.
 * {@code {"1":{"cores":{"amount":4},"memory":{"amount":8192},"gpu":{"amount":1,"vendor":"nvidia.com"}}}}. kspark
 * builds each profile's executors from it as Spark's executor builder does; the default profile's executors are sized
 * from the application's conf, so it is not listed. Not thread-safe: the allocator guards it with its lock.
 */
final class ProfileResources {

    /** The driver pod annotation the description goes to, written with the targets. */
    static final String ANNOTATION = "kspark.io/resource-profiles";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Profiles are immutable in Spark and their ids never reused, so each is described once. */
    private final Map<Integer, ObjectNode> described = new TreeMap<>();

    /** Adds {@code profile} unless it is the default one or known already. */
    void add(ResourceProfile profile) {
        if (profile.id() != KsparkPodsAllocator.DEFAULT_PROFILE_ID && !described.containsKey(profile.id())) {
            described.put(profile.id(), describe(profile));
        }
    }

    /** The annotation value, or null while only the default profile is known. */
    String annotationValue() {
        if (described.isEmpty()) {
            return null;
        }
        ObjectNode value = JSON.createObjectNode();
        described.forEach((id, resources) -> value.set(Integer.toString(id), resources));
        return value.toString();
    }

    static ObjectNode describe(ResourceProfile profile) {
        ObjectNode resources = JSON.createObjectNode();
        new TreeMap<>(profile.executorResourcesJMap()).forEach((name, request) -> resources.set(name, describe(request)));
        return resources;
    }

    private static ObjectNode describe(ExecutorResourceRequest request) {
        ObjectNode node = JSON.createObjectNode().put("amount", request.amount());
        if (request.vendor() != null && !request.vendor().isEmpty()) {
            node.put("vendor", request.vendor());
        }
        return node;
    }
}
