package io.kspark.reconciler.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the body of {@code PUT …/executors} itself, so that every malformed body gets a JSON error naming what is
 * wrong (the framework's own binding answers an empty 400, and would round 1.5 down to 1).
 */
final class TargetBody {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHAPE = "body must be {\"target\": <executors>}";

    private TargetBody() {
    }

    /** The executor target in {@code body}: a whole, non-negative JSON number that fits an int. */
    static int parse(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(SHAPE + ", got invalid JSON");
        }
        JsonNode target = root == null || !root.isObject() ? null : root.get("target");
        if (target == null || target.isNull()) {
            throw ApiException.badRequest(SHAPE);
        }
        if (!target.isIntegralNumber()) {
            throw ApiException.badRequest("target must be a whole number of executors, got " + target);
        }
        if (!target.canConvertToInt()) {
            throw ApiException.badRequest("target is too large: " + target);
        }
        if (target.intValue() < 0) {
            throw ApiException.badRequest("target must not be negative, got " + target.intValue());
        }
        return target.intValue();
    }
}
