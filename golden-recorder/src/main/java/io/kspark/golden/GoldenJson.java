package io.kspark.golden;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and writes golden JSON files. Key order is kept as it comes (the order the API server stored it, or the
 * order fabric8's serializer writes a model object); the layout is the one of the shared reference recording:
 * four-space indent, {@code "key": value}, {@code []} and {@code {}} for empty containers, newline at the end.
 */
final class GoldenJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GoldenJson() {
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + abbreviate(json), e);
    }
  }

  /** A fabric8 model object as fabric8's serializer writes it (the JSON a client sends), as a tree. */
  static JsonNode fromModel(Object model) {
    return parse(Serialization.asJson(model));
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A list object {@code {"items": [...]}}, the form of the reference executor-1.json. */
  static ObjectNode itemsList(List<JsonNode> items) {
    ObjectNode list = MAPPER.createObjectNode();
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  /**
   * Sorts the items of a v1 List by namespace and name so that reruns give stable files (the mock server lists
   * objects in the order they were last written).
   */
  static JsonNode sortItemsByNamespaceAndName(JsonNode list) {
    JsonNode items = list.path("items");
    if (!items.isArray()) {
      return list;
    }
    List<JsonNode> sorted = new ArrayList<>();
    items.forEach(sorted::add);
    sorted.sort(Comparator.comparing((JsonNode n) -> n.path("metadata").path("namespace").asText())
        .thenComparing(n -> n.path("metadata").path("name").asText()));
    ArrayNode array = ((ObjectNode) list).putArray("items");
    sorted.forEach(array::add);
    return list;
  }

  /**
   * Replaces every occurrence of {@code text} in the string values of a tree (in place), also in the escaped form
   * {@link java.util.Properties#store} writes into spark.properties (a backslash before
   * each {@code : = # !}).
   */
  static JsonNode replaceInStrings(JsonNode node, String text, String replacement) {
    String escaped = text.replaceAll("([:=#!])", "\\\\$1");
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          object.put(name, child.asText().replace(text, replacement).replace(escaped, replacement));
        } else {
          replaceInStrings(child, text, replacement);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child.isTextual()) {
          array.set(i, array.textNode(child.asText().replace(text, replacement).replace(escaped, replacement)));
        } else {
          replaceInStrings(child, text, replacement);
        }
      }
    }
    return node;
  }

  static String pretty(JsonNode node) {
    try {
      return MAPPER.writer(new ReferencePrettyPrinter()).writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, JsonNode node) {
    try {
      Files.writeString(file, pretty(node), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** Jackson's pretty printer with the reference file's spacing. */
  private static final class ReferencePrettyPrinter extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    ReferencePrettyPrinter() {
      DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
      indentObjectsWith(indenter);
      indentArraysWith(indenter);
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new ReferencePrettyPrinter();
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
      if (nrOfEntries == 0) {
        --_nesting;
        g.writeRaw('}');
      } else {
        super.writeEndObject(g, nrOfEntries);
      }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
      if (nrOfValues == 0) {
        --_nesting;
        g.writeRaw(']');
      } else {
        super.writeEndArray(g, nrOfValues);
      }
    }
  }
}
