package io.kspark.k8s.steps;

import io.kspark.k8s.LocalEnvironment;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether the submitter's Hadoop configuration asks for Kerberos ({@code hadoop.security.authentication}). */
final class HadoopSecurity {

    private static final Pattern AUTHENTICATION = Pattern.compile(
            "<name>\\s*hadoop\\.security\\.authentication\\s*</name>\\s*<value>\\s*([^<\\s]+)\\s*</value>");

    private HadoopSecurity() {
    }

    static boolean isKerberosEnabled(LocalEnvironment env) {
        return env.getenv("HADOOP_CONF_DIR")
                .map(dir -> Path.of(dir, "core-site.xml"))
                .filter(p -> env.listFiles(p.getParent().toString()).contains(p))
                .map(p -> {
                    Matcher m = AUTHENTICATION.matcher(env.readText(p.toString()));
                    return m.find() && m.group(1).equalsIgnoreCase("kerberos");
                })
                .orElse(false);
    }
}
