package io.kspark.cli;

import io.kspark.k8s.SparkVersion;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code kspark --version}: kspark's version and the Spark release it mirrors. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = buildVersion();
        return new String[] {"kspark " + version + " (builds Spark " + SparkVersion.TARGET + " Kubernetes objects)"};
    }

    /** From a resource the build fills in: one-shot commands run without Quarkus' configuration. */
    static String buildVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/kspark-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
