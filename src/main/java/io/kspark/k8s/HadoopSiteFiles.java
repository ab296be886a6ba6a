package io.kspark.k8s;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties of the submitter's {@code $HADOOP_CONF_DIR/core-site.xml}, which spark-submit's launcher puts on its
 * class path and so into every Hadoop configuration it makes. Read with patterns, not an XML parser, to keep the native
 * image free of JAXP; comments are dropped first, so a commented-out property does not count.
 */
public final class HadoopSiteFiles {

    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("<property\\b[^>]*>(.*?)</property>", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("<name>(.*?)</name>", Pattern.DOTALL);
    private static final Pattern VALUE = Pattern.compile("<value>(.*?)</value>", Pattern.DOTALL);

    private HadoopSiteFiles() {
    }

    /** {@code core-site.xml} of {@code HADOOP_CONF_DIR}; empty when either is missing. */
    public static Map<String, String> coreSite(LocalEnvironment env) {
        return env.getenv("HADOOP_CONF_DIR")
                .map(dir -> Path.of(dir, "core-site.xml"))
                .filter(file -> env.listFiles(file.getParent().toString()).contains(file))
                .map(file -> properties(env.readText(file.toString())))
                .orElse(Map.of());
    }

    /** Name to value, later definitions winning as in Hadoop; names and values trimmed, the five XML entities decoded. */
    public static Map<String, String> properties(String xml) {
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher property = PROPERTY.matcher(COMMENT.matcher(xml).replaceAll(""));
        while (property.find()) {
            Matcher name = NAME.matcher(property.group(1));
            Matcher value = VALUE.matcher(property.group(1));
            if (name.find()) {
                properties.put(decode(name.group(1)).trim(), value.find() ? decode(value.group(1)).trim() : "");
            }
        }
        return properties;
    }

    private static String decode(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }
}
