package io.kspark.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the test kubelet runs an executor pod's container on this machine: what Spark's image entrypoint
 * ({@code entrypoint.sh executor}) runs, from the pod's own env and args, with the pod's volume mounts mapped to local
 * directories and the pod IP 127.0.0.1.
 *
 * @param command the JVM command line
 * @param env     the process environment (only the pod's, plus PATH and HOME)
 * @param mounts  container mount path to local directory, by volume name
 */
record ContainerLaunch(List<String> command, Map<String, String> env, Map<String, MountedVolume> mounts) {

    static final String EXECUTOR_BACKEND = "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend";
    static final String POD_IP = "127.0.0.1";

    /** One volume mount: the pod's volume, where the container sees it, and where it is on this machine. */
    record MountedVolume(String volume, String mountPath, Path local) {
    }

    ContainerLaunch {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        mounts = Map.copyOf(mounts);
    }

    /**
     * @param podDir       this pod's directory on this machine (volumes live under it)
     * @param java         the java executable ({@code ${JAVA_HOME}/bin/java} in the image)
     * @param sparkJars    the image's {@code ${SPARK_HOME}/jars/*}
     * @throws IllegalArgumentException for anything but Spark's {@code executor} command
     */
    static ContainerLaunch of(Pod pod, Path podDir, String java, List<String> sparkJars) {
        Container container = pod.getSpec().getContainers().get(0);
        List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
        if (args.isEmpty() || !args.get(0).equals("executor")) {
            throw new IllegalArgumentException("container " + container.getName() + " runs " + args + ", not Spark's executor command");
        }
        Map<String, MountedVolume> mounts = new LinkedHashMap<>();
        for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            Path local = podDir.resolve("volumes").resolve(mount.getName());
            mounts.put(mount.getName(), new MountedVolume(mount.getName(), mount.getMountPath(),
                    mount.getSubPath() == null || mount.getSubPath().isEmpty() ? local : local.resolve(mount.getSubPath())));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            resolve(pod, var).ifPresent(value -> env.put(var.getName(), localPaths(value, mounts.values())));
        }
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(javaOpts(env));
        String memory = required(env, "SPARK_EXECUTOR_MEMORY");
        command.add("-Xms" + memory);
        command.add("-Xmx" + memory);
        command.add("-cp");
        command.add(classPath(env, sparkJars));
        command.add(EXECUTOR_BACKEND);
        command.addAll(List.of("--driver-url", required(env, "SPARK_DRIVER_URL"), "--executor-id", required(env, "SPARK_EXECUTOR_ID"),
                "--cores", required(env, "SPARK_EXECUTOR_CORES"), "--app-id", required(env, "SPARK_APPLICATION_ID"),
                "--hostname", required(env, "SPARK_EXECUTOR_POD_IP"), "--resourceProfileId", required(env, "SPARK_RESOURCE_PROFILE_ID"),
                "--podName", required(env, "SPARK_EXECUTOR_POD_NAME")));
        return new ContainerLaunch(command, env, mounts);
    }

    /** Literal values; the downward API fields Spark uses; anything else (secrets) is not available here. */
    private static Optional<String> resolve(Pod pod, EnvVar var) {
        if (var.getValueFrom() == null) {
            return Optional.ofNullable(var.getValue());
        }
        if (var.getValueFrom().getFieldRef() == null) {
            return Optional.empty();
        }
        return switch (var.getValueFrom().getFieldRef().getFieldPath()) {
            case "status.podIP" -> Optional.of(POD_IP);
            case "metadata.name" -> Optional.of(pod.getMetadata().getName());
            case "metadata.namespace" -> Optional.of(pod.getMetadata().getNamespace());
            default -> Optional.empty();
        };
    }

    /** SPARK_JAVA_OPT_0, _1, ... in numeric order, as the entrypoint's {@code sort -t_ -k4 -n}. */
    private static List<String> javaOpts(Map<String, String> env) {
        return env.entrySet().stream().filter(e -> e.getKey().matches("SPARK_JAVA_OPT_\\d+"))
                .sorted(Comparator.comparingInt(e -> Integer.parseInt(e.getKey().substring("SPARK_JAVA_OPT_".length()))))
                .map(Map.Entry::getValue).collect(Collectors.toList());
    }

    /** The entrypoint's order: conf dir, SPARK_CLASSPATH, the image's jars, SPARK_EXTRA_CLASSPATH. */
    private static String classPath(Map<String, String> env, List<String> sparkJars) {
        List<String> parts = new ArrayList<>();
        Optional.ofNullable(env.get("SPARK_CONF_DIR")).ifPresent(parts::add);
        Optional.ofNullable(env.get("SPARK_CLASSPATH")).filter(s -> !s.isEmpty()).ifPresent(parts::add);
        parts.addAll(sparkJars);
        Optional.ofNullable(env.get("SPARK_EXTRA_CLASSPATH")).filter(s -> !s.isEmpty()).ifPresent(parts::add);
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Paths inside mounted volumes, as this machine has them (comma-separated lists too, e.g. SPARK_LOCAL_DIRS). */
    static String localPaths(String value, Iterable<MountedVolume> mounts) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String mapped = part;
            for (MountedVolume mount : mounts) {
                if (part.equals(mount.mountPath()) || part.startsWith(mount.mountPath() + "/")) {
                    mapped = mount.local() + part.substring(mount.mountPath().length());
                    break;
                }
            }
            parts.add(mapped);
        }
        return String.join(",", parts);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null) {
            throw new IllegalArgumentException("executor pod has no " + name);
        }
        return value;
    }
}
