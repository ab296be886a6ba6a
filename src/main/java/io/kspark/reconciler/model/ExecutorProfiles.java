package io.kspark.reconciler.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.k8s.ExecutorProfile;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the executor resources of an application's resource profiles from its driver pod, where the kspark allocator
 * plugin publishes them in {@value KsparkMetadata#RESOURCE_PROFILES} beside the targets: profile id to Spark's
 * executor resource requests, memory in MiB, e.g.
 * {@code {"1":{"cores":{"amount":4},"memory":{"amount":8192},"gpu":{"amount":1,"vendor":"nvidia.com"}}}}.
 * Fields it does not know (a newer plugin's) are ignored.
 */
public final class ExecutorProfiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExecutorProfiles() {
    }

    /**
     * The default profile for id 0; otherwise the published profile, or empty when the driver pod publishes none with
     * that id.
     *
     * @throws IllegalArgumentException when the annotation cannot be read
     */
    public static Optional<ExecutorProfile> of(Pod driver, int id) {
        if (id == ExecutorProfile.DEFAULT_ID) {
            return Optional.of(ExecutorProfile.DEFAULT);
        }
        Map<String, String> annotations = driver.getMetadata().getAnnotations();
        String published = annotations == null ? null : annotations.get(KsparkMetadata.RESOURCE_PROFILES);
        return published == null ? Optional.empty() : Optional.ofNullable(parse(published).get(id));
    }

    public static Map<Integer, ExecutorProfile> parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw unreadable("is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw unreadable("is not a JSON object of profile ids");
        }
        Map<Integer, ExecutorProfile> profiles = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> profile = it.next();
            int id;
            try {
                id = Integer.parseInt(profile.getKey());
            } catch (NumberFormatException e) {
                throw unreadable("has profile id '" + profile.getKey() + "', not a number");
            }
            profiles.put(id, new ExecutorProfile(id, requests(id, profile.getValue())));
        }
        return profiles;
    }

    private static Map<String, ExecutorProfile.Request> requests(int id, JsonNode resources) {
        if (!resources.isObject()) {
            throw unreadable("profile " + id + " is not an object of resources");
        }
        Map<String, ExecutorProfile.Request> requests = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            JsonNode amount = resource.getValue().get("amount");
            if (amount == null || !amount.canConvertToLong() || !amount.isIntegralNumber() || amount.asLong() < 0) {
                throw unreadable("profile " + id + ", resource " + resource.getKey() + ": amount must be a whole number >= 0");
            }
            JsonNode vendor = resource.getValue().get("vendor");
            requests.put(resource.getKey(), new ExecutorProfile.Request(amount.asLong(), vendor == null ? "" : vendor.asText()));
        }
        return requests;
    }

    private static IllegalArgumentException unreadable(String problem) {
        return new IllegalArgumentException("driver pod annotation " + KsparkMetadata.RESOURCE_PROFILES + " " + problem);
    }
}
