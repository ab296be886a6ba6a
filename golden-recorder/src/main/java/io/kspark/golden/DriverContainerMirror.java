package io.kspark.golden;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver process would see inside its container, rebuilt on this machine: the files of the ConfigMap
 * volumes the driver container mounts (spark.properties under /opt/spark/conf, the executor pod template under
 * /opt/spark/pod-template, Hadoop conf, krb5.conf) written below a temporary root, and the container's environment.
 *
 * <p>Environment rules (documented in README.md): literal {@code value}s are copied, except that a value naming a
 * mirrored mount directory (e.g. {@code SPARK_CONF_DIR=/opt/spark/conf}) is pointed at its copy below the root;
 * {@code fieldRef status.podIP} becomes {@link #DRIVER_POD_IP}; {@code metadata.name}/{@code metadata.namespace}
 * field refs become the pod's name/namespace; values from Secrets or ConfigMap keys are left out (no executor
 * feature step reads them).
 */
final class DriverContainerMirror {

  /**
   * Stand-in for the driver pod's IP (a mock server has no kubelet): what {@code SPARK_DRIVER_BIND_ADDRESS}
   * ({@code fieldRef status.podIP}) holds inside the driver container. TEST-NET-2 (RFC 5737), never contacted.
   */
  static final String DRIVER_POD_IP = "198.51.100.10";

  static final String DRIVER_CONTAINER_FIRST_ARG = "driver";

  private final Pod driverPod;
  private final Container driverContainer;
  private final Path root;
  private final Map<String, Path> mirroredMounts;

  private DriverContainerMirror(Pod driverPod, Container driverContainer, Path root, Map<String, Path> mirroredMounts) {
    this.driverPod = driverPod;
    this.driverContainer = driverContainer;
    this.root = root;
    this.mirroredMounts = mirroredMounts;
  }

  /** Finds the one driver pod in the server and mirrors its container below a new temporary directory. */
  static DriverContainerMirror of(KubernetesClient client) {
    List<Pod> drivers = client.pods().inAnyNamespace().withLabel("spark-role", "driver").list().getItems();
    if (drivers.size() != 1) {
      throw new IllegalStateException("expected exactly one driver pod (label spark-role=driver), found "
          + drivers.size());
    }
    Pod pod = drivers.get(0);
    Container container = pod.getSpec().getContainers().stream()
        .filter(c -> c.getArgs() != null && !c.getArgs().isEmpty()
            && DRIVER_CONTAINER_FIRST_ARG.equals(c.getArgs().get(0)))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("driver pod has no container with args 'driver ...'"));
    try {
      Path root = Files.createTempDirectory("kspark-golden-driver-fs");
      Map<String, Path> mounts = new LinkedHashMap<>();
      for (VolumeMount mount : container.getVolumeMounts()) {
        Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
            .findFirst().orElse(null);
        if (volume == null || volume.getConfigMap() == null) {
          continue;
        }
        ConfigMap configMap = client.configMaps().inNamespace(pod.getMetadata().getNamespace())
            .withName(volume.getConfigMap().getName()).get();
        if (configMap == null) {
          continue; // a ConfigMap the user said exists (e.g. spark.kubernetes.hadoop.configMapName): not in the mock
        }
        Path dir = below(root, mount.getMountPath());
        Files.createDirectories(dir);
        writeItems(configMap, volume.getConfigMap().getItems(), mount.getSubPath(), dir);
        mounts.put(mount.getMountPath(), dir);
      }
      return new DriverContainerMirror(pod, container, root, mounts);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Pod driverPod() {
    return driverPod;
  }

  String namespace() {
    return driverPod.getMetadata().getNamespace();
  }

  String podName() {
    return driverPod.getMetadata().getName();
  }

  /** The local copy of a mount path of the driver container, e.g. /opt/spark/conf. */
  Path local(String containerPath) {
    return below(root, containerPath);
  }

  Path root() {
    return root;
  }

  /** Mirrored mount directory (container path) to its local copy. */
  Map<String, Path> mirroredMounts() {
    return Map.copyOf(mirroredMounts);
  }

  /** The driver container's environment as described in the class comment, in the container's order. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : driverContainer.getEnv()) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), rewritePath(var.getValue() == null ? "" : var.getValue()));
      } else if (var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        switch (field) {
          case "status.podIP" -> env.put(var.getName(), DRIVER_POD_IP);
          case "metadata.name" -> env.put(var.getName(), podName());
          case "metadata.namespace" -> env.put(var.getName(), namespace());
          default -> {
            // other field refs (status.hostIP, spec.nodeName ...) have no value without a kubelet
          }
        }
      }
    }
    return env;
  }

  private String rewritePath(String value) {
    List<String> mountPaths = new ArrayList<>(mirroredMounts.keySet());
    mountPaths.sort(Comparator.comparingInt(String::length).reversed());
    for (String mountPath : mountPaths) {
      if (value.equals(mountPath) || value.startsWith(mountPath + "/")) {
        return mirroredMounts.get(mountPath) + value.substring(mountPath.length());
      }
    }
    return value;
  }

  private static void writeItems(ConfigMap configMap, List<KeyToPath> items, String subPath, Path dir)
      throws IOException {
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    Map<String, String> files = new LinkedHashMap<>();
    if (items == null || items.isEmpty()) {
      files.putAll(data);
    } else {
      for (KeyToPath item : items) {
        if (data.containsKey(item.getKey())) {
          files.put(item.getPath(), data.get(item.getKey()));
        }
      }
    }
    if (subPath != null && !subPath.isEmpty()) {
      // a single file mounted at mountPath: write it as the directory's only content under its own name
      String content = files.get(subPath);
      files.clear();
      if (content != null) {
        files.put(subPath, content);
      }
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path target = dir.resolve(file.getKey()).normalize();
      if (!target.startsWith(dir)) {
        throw new IllegalStateException("ConfigMap item path escapes its mount: " + file.getKey());
      }
      Files.createDirectories(target.getParent());
      Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static Path below(Path root, String absolutePath) {
    return root.resolve(absolutePath.replaceFirst("^/+", ""));
  }
}
