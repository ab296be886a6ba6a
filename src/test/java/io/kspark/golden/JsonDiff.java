package io.kspark.golden;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/** Field-by-field differences between two JSON trees, as readable paths. */
final class JsonDiff {

    private JsonDiff() {
    }

    static List<String> between(JsonNode expected, JsonNode actual) {
        List<String> differences = new ArrayList<>();
        compare("", expected, actual, differences);
        return differences;
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || expected.isMissingNode()) {
            out.add(path + ": unexpected " + actual);
        } else if (actual == null || actual.isMissingNode()) {
            out.add(path + ": missing, Spark has " + expected);
        } else if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                compare(path + "." + key, expected.get(key), actual.get(key), out);
            }
        } else if (expected.isArray() && actual.isArray() && namedElements(expected) && namedElements(actual)) {
            compareByName(path, expected, actual, out);
        } else if (expected.isArray() && actual.isArray()) {
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            int i = 0;
            while (e.hasNext() || a.hasNext()) {
                compare(path + "[" + label(expected.get(i), actual.get(i), i) + "]", e.hasNext() ? e.next() : null, a.hasNext() ? a.next() : null, out);
                i++;
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            // int vs long is a serialiser detail, not a difference in the object.
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": Spark " + expected + ", kspark " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": Spark " + expected + ", kspark " + actual);
        }
    }

    /** Lists of named things (containers, env, volumes, ports) are matched by name, then checked for order. */
    private static void compareByName(String path, JsonNode expected, JsonNode actual, List<String> out) {
        java.util.Map<String, JsonNode> expectedByName = new java.util.LinkedHashMap<>();
        java.util.Map<String, JsonNode> actualByName = new java.util.LinkedHashMap<>();
        expected.forEach(e -> expectedByName.put(name(e), e));
        actual.forEach(a -> actualByName.put(name(a), a));
        TreeSet<String> names = new TreeSet<>(expectedByName.keySet());
        names.addAll(actualByName.keySet());
        for (String name : names) {
            compare(path + "[" + name + "]", expectedByName.get(name), actualByName.get(name), out);
        }
        List<String> expectedOrder = new ArrayList<>(expectedByName.keySet());
        List<String> actualOrder = new ArrayList<>(actualByName.keySet());
        expectedOrder.retainAll(actualByName.keySet());
        actualOrder.retainAll(expectedByName.keySet());
        if (!expectedOrder.equals(actualOrder)) {
            out.add(path + ": order differs, Spark " + expectedOrder + ", kspark " + actualOrder);
        }
    }

    private static boolean namedElements(JsonNode array) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode element : array) {
            String name = name(element);
            if (name.isEmpty() || !seen.add(name)) {
                return false;
            }
        }
        return true;
    }

    private static String name(JsonNode element) {
        return element.path("name").asText(element.path("metadata").path("name").asText(""));
    }

    /** Index plus the element's name where it has one, so a path reads like "env[3 SPARK_USER]". */
    private static String label(JsonNode expected, JsonNode actual, int index) {
        JsonNode node = expected != null ? expected : actual;
        String name = node == null ? "" : node.path("name").asText(node.path("metadata").path("name").asText(""));
        return name.isEmpty() ? Integer.toString(index) : index + " " + name;
    }
}
