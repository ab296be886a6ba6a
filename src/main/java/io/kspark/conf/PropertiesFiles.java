package io.kspark.conf;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Java-properties files as Spark reads and writes them (spark-defaults.conf, spark.properties). */
public final class PropertiesFiles {

    private PropertiesFiles() {
    }

    /** Loads a properties file; values are trimmed except for CR/LF, as Spark does. */
    public static Map<String, String> load(String what, String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new UserInputException(what + ": properties file " + file + " does not exist or is not a file");
        }
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return parse(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserInputException(what + ": cannot read " + file + ": " + reason(e));
        }
    }

    /** The JDK's messages here are bare ("Input length = 1", the path again); say what is wrong with the file instead. */
    private static String reason(Exception e) {
        if (e instanceof MalformedInputException || e instanceof UnmappableCharacterException) {
            return "not UTF-8 text";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof IllegalArgumentException) { // Properties.load on a bad backslash-u escape
            return "malformed \\uXXXX escape";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public static Map<String, String> parse(String text) {
        try {
            return parse(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> parse(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> result = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            result.put(key, trimExceptCrLf(properties.getProperty(key)));
        }
        return new LinkedHashMap<>(result);
    }

    static String trimExceptCrLf(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isTrimmable(value.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmable(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isTrimmable(char c) {
        return c <= ' ' && c != '\r' && c != '\n';
    }

    /**
     * Renders properties with {@link Properties#store}, as Spark builds spark.properties, so the text
     * (escaping, entry order) matches Spark's; only the date comment differs.
     */
    public static String store(String comment, Map<String, String> values) {
        Properties properties = new Properties();
        values.forEach(properties::setProperty);
        StringWriter writer = new StringWriter();
        try {
            properties.store(writer, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writer.toString();
    }
}
