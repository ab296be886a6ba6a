package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings Spark's recorded objects and kspark's into one comparable form: fields the API server sets
 * are dropped, random parts (app id, 16-hex name infixes, UUIDs) become numbered placeholders in
 * order of first appearance, so the same random part must appear in the same places on both sides,
 * and content Spark writes from hash maps (spark.properties lines) is compared as a sorted map.
 */
final class GoldenNormaliser {

    private static final Set<String> SERVER_FIELDS = Set.of("creationTimestamp", "resourceVersion", "uid", "generation", "managedFields",
            "selfLink");
    private static final Pattern APP_ID = Pattern.compile("spark-[0-9a-f]{32}(?![0-9a-f])");
    private static final Pattern UUID = Pattern.compile("(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])");
    // Spark's unique ids: 6 random hex digits and the low 40 bits of the time in hex (leading zeros dropped).
    private static final Pattern UNIQUE_ID = Pattern.compile("(?<![0-9a-z])[0-9a-f]{14,16}(?![0-9a-z])");
    private static final Set<String> TIMESTAMPS = Set.of("spark.app.submitTime");
    private static final Pattern PROPERTIES_FILE = Pattern.compile("spark\\.properties");

    private final Pattern caseDir;
    private final Map<String, String> placeholders = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /** @param caseName the case directory name: absolute paths into any checkout's copy of it become {@code @CASE_DIR@} */
    GoldenNormaliser(String caseName) {
        this.caseDir = Pattern.compile("/[^\\s,=:\"]*/golden/" + Pattern.quote(caseName) + "(?![\\w-])");
    }

    /** {@code {"pods": List, "services": List, ...}} → the same shape, normalised. */
    JsonNode normalise(JsonNode byKind) {
        return normalise(byKind, false);
    }

    /**
     * Executor objects as the executor builder returns them: the allocator creates them in the
     * driver's namespace, so whether the object itself names it is not part of the comparison.
     */
    JsonNode normaliseExecutor(JsonNode byKind) {
        return normalise(byKind, true);
    }

    private JsonNode normalise(JsonNode byKind, boolean dropNamespace) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        List<String> kinds = new ArrayList<>();
        byKind.fieldNames().forEachRemaining(kinds::add);
        kinds.sort(Comparator.naturalOrder());
        for (String kind : kinds) {
            List<JsonNode> items = new ArrayList<>();
            byKind.path(kind).path("items").forEach(item -> items.add(canonical(withoutServerFields(item.deepCopy(), dropNamespace))));
            if (items.isEmpty()) {
                continue; // an empty list and no list say the same
            }
            // Creation order is not part of the contract; the masked name is.
            items.sort(Comparator.comparing(item -> masked(item.path("metadata").path("name").asText())));
            ArrayNode normalised = result.putObject(kind).putArray("items");
            items.forEach(item -> normalised.add(replaceRandomParts(item)));
        }
        return result;
    }

    private static JsonNode withoutServerFields(JsonNode object, boolean dropNamespace) {
        if (object instanceof ObjectNode node) {
            node.remove("status");
            if (node.get("metadata") instanceof ObjectNode metadata) {
                SERVER_FIELDS.forEach(metadata::remove);
                if (dropNamespace) {
                    metadata.remove("namespace");
                }
            }
        }
        return object;
    }

    /** Object keys sorted; spark.properties as a sorted map of its entries. */
    private static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode sorted = JsonNodeFactory.instance.objectNode();
            new TreeMap<String, JsonNode>(toMap(object)).forEach((k, v) -> {
                if (PROPERTIES_FILE.matcher(k).matches() && v.isTextual()) {
                    sorted.set(k, propertiesAsObject(v.asText()));
                } else {
                    sorted.set(k, canonical(v));
                }
            });
            if ("hadoop-properties".equals(sorted.path("name").asText()) && sorted.path("configMap").path("items") instanceof ArrayNode items) {
                // Spark lists HADOOP_CONF_DIR in the file system's order (File.listFiles, unsorted), which differs between
                // machines; kspark sorts it. Kubernetes ignores the order of ConfigMap volume items.
                List<JsonNode> byKey = new ArrayList<>();
                items.forEach(byKey::add);
                byKey.sort(Comparator.comparing(item -> item.path("key").asText()));
                items.removeAll();
                byKey.forEach(items::add);
            }
            return sorted;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }

    private static Map<String, JsonNode> toMap(ObjectNode object) {
        Map<String, JsonNode> map = new HashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    private static ObjectNode propertiesAsObject(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(properties).forEach((k, v) -> object.put((String) k, TIMESTAMPS.contains(k) ? "<timestamp>" : (String) v));
        return object;
    }

    private JsonNode replaceRandomParts(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            object.fields().forEachRemaining(e -> copy.set(replace(e.getKey()), replaceRandomParts(e.getValue())));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(replaceRandomParts(element)));
            return copy;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(replace(node.asText()));
        }
        return node;
    }

    String replace(String text) {
        String result = caseDir.matcher(text).replaceAll(GoldenCase.CASE_DIR);
        result = replace(result, APP_ID, "app-id");
        result = replace(result, UUID, "uuid");
        return replace(result, UNIQUE_ID, "id");
    }

    private String replace(String text, Pattern pattern, String kind) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String placeholder = placeholders.computeIfAbsent(matcher.group(),
                    random -> "<" + kind + "-" + counters.merge(kind, 1, Integer::sum) + ">");
            matcher.appendReplacement(out, Matcher.quoteReplacement(placeholder));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String masked(String name) {
        return UNIQUE_ID.matcher(UUID.matcher(APP_ID.matcher(name).replaceAll("<app-id>")).replaceAll("<uuid>")).replaceAll("<id>");
    }
}
