package io.kspark.k8s;

import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.UserInputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes naming rules and Spark's derivations of names from the application name. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private Names() {
    }

    /**
     * Hex SHA-256 of the text: the stable stand-in for Spark's random name parts wherever kspark must
     * arrive at the same name again (another reconciler process, a repeated {@code kspark expose}).
     */
    public static String stableHex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    public static boolean isDnsLabel(String name) {
        return name.length() <= KubernetesKeys.DNS_LABEL_MAX && DNS_LABEL.matcher(name).matches();
    }

    /** A label or annotation key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    public static boolean isQualifiedName(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0 && !KubernetesKeys.isDnsSubdomain(key.substring(0, slash))) {
            return false;
        }
        return !name.isEmpty() && name.length() <= KubernetesKeys.DNS_LABEL_MAX && LABEL_NAME.matcher(name).matches();
    }

    public static boolean isLabelValue(String value) {
        return value.length() <= KubernetesKeys.DNS_LABEL_MAX && LABEL_VALUE.matcher(value).matches();
    }

    /** The API server's rule for env var names (Spark drops executorEnv keys that break it, with a warning). */
    public static boolean isEnvVarName(String name) {
        return ENV_NAME.matcher(name).matches();
    }

    /** Rejects labels Kubernetes would refuse, naming the conf key they came from. */
    public static void checkLabels(String keyPrefix, Map<String, String> labels) {
        labels.forEach((k, v) -> {
            if (!isQualifiedName(k)) {
                throw UserInputException.forKey(keyPrefix + k, "'" + k + "' is not a valid Kubernetes label key");
            }
            if (!isLabelValue(v)) {
                throw UserInputException.forKey(keyPrefix + k, "'" + v
                        + "' is not a valid label value (at most 63 characters: letters, digits, '-', '_', '.', starting and ending alphanumeric)");
            }
        });
    }

    /** A command-line option naming a namespace (null: not given). */
    public static void checkNamespaceOption(String option, String namespace) {
        if (namespace != null && !isDnsLabel(namespace)) {
            throw new UserInputException(option + ": '" + namespace + "' is not a Kubernetes namespace name (a lower-case DNS label)");
        }
    }

    /** A command-line option naming a pod. */
    public static void checkPodNameOption(String option, String pod) {
        if (pod == null || !KubernetesKeys.isDnsSubdomain(pod)) {
            throw new UserInputException(option + ": '" + pod + "' is not a Kubernetes pod name (lower-case letters, digits, '-' and '.')");
        }
    }

    public static void checkAnnotationKeys(String keyPrefix, Map<String, String> annotations) {
        annotations.keySet().forEach(k -> {
            // The API server checks annotation keys lower-cased (labels keep their case).
            if (!isQualifiedName(k.toLowerCase(java.util.Locale.ROOT))) {
                throw UserInputException.forKey(keyPrefix + k, "'" + k + "' is not a valid Kubernetes annotation key");
            }
        });
    }

    /** Spark's {@code <app-name>-<unique id>} prefix, lower-cased and reduced to DNS-safe characters. */
    public static String resourceNamePrefix(String appName, String uniqueId) {
        return (appName + "-" + uniqueId)
                .trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9\\-]", "-")
                .replaceAll("-+", "-")
                .replaceAll("^-", "")
                .replaceAll("^[0-9]", "x");
    }

    /** Spark's {@code spark-app-name} label: the app name made label-safe and cut to 63 characters. */
    public static String appNameLabel(String appName) {
        String cleaned = appName.trim()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9\\-]", "-")
                .replaceAll("-+", "-");
        String abbreviated = abbreviate(cleaned, KubernetesKeys.DNS_LABEL_MAX);
        if (abbreviated.startsWith("-")) {
            abbreviated = abbreviated.substring(1);
        }
        if (abbreviated.endsWith("-")) {
            abbreviated = abbreviated.substring(0, abbreviated.length() - 1);
        }
        return abbreviated;
    }

    /** commons-lang {@code abbreviate(str, "", maxWidth)}: a plain cut when the marker is empty. */
    private static String abbreviate(String value, int maxWidth) {
        return value.length() <= maxWidth ? value : value.substring(0, maxWidth);
    }

    /** A ConfigMap name from a prefix, cut so that the name stays within 253 characters. */
    public static String configMapName(String prefix) {
        String suffix = "-conf-map";
        int keep = Math.min(prefix.length(), KubernetesKeys.DNS_SUBDOMAIN_MAX - suffix.length());
        return prefix.substring(0, keep) + suffix;
    }
}
