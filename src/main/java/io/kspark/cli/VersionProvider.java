package io.kspark.cli;

import io.kspark.k8s.SparkVersion;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine;

/** {@code kspark --version}: kspark's version and the Spark release it mirrors. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class).orElse("dev");
        return new String[] {"kspark " + version + " (builds Spark " + SparkVersion.TARGET + " Kubernetes objects)"};
    }
}
