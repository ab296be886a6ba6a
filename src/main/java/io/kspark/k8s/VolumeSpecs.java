package io.kspark.k8s;

import io.kspark.conf.ScalaHashes;
import io.kspark.conf.SparkConf;
import io.kspark.conf.SparkIterationOrder;
import io.kspark.conf.SparkValues;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.VolumeSpec.EmptyDir;
import io.kspark.k8s.VolumeSpec.HostPath;
import io.kspark.k8s.VolumeSpec.Nfs;
import io.kspark.k8s.VolumeSpec.Pvc;
import io.kspark.k8s.VolumeSpec.VolumeSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses and validates the volume keys of one role, naming the offending key in every error. */
public final class VolumeSpecs {

    private VolumeSpecs() {
    }

    public static List<VolumeSpec> parse(SparkConf conf, PodRole role) {
        String prefix = role.volumesPrefix();
        Map<String, String> properties = conf.withPrefix(prefix);
        List<List<String>> typesAndNames = new ArrayList<>();
        for (String key : properties.keySet()) {
            String[] parts = key.split("\\.");
            if (parts.length >= 2) {
                typesAndNames.add(List.of(parts[0], parts[1]));
            }
        }
        List<VolumeSpec> parsed = new ArrayList<>();
        // Spark collects (type, name) pairs into a Scala Set and maps that into a Set of KubernetesVolumeSpec case
        // classes: the second set's order decides volume order and claim numbers.
        for (List<String> typeAndName : SparkIterationOrder.scalaPairSetOrder(typesAndNames)) {
            parsed.add(parseOne(prefix, properties, typeAndName.get(0), typeAndName.get(1)));
        }
        List<VolumeSpec> specs = SparkIterationOrder.scalaSetOrder(parsed, VolumeSpecs::scalaHash);
        rejectDuplicateMountPaths(prefix, specs);
        return specs;
    }

    /** The {@code ##} of Spark 4.1's KubernetesVolumeSpec for this volume (its case class fields, in their order). */
    static int scalaHash(VolumeSpec spec) {
        int source;
        if (spec.source() instanceof HostPath h) {
            source = ScalaHashes.product("KubernetesHostPathVolumeConf", h.path().hashCode(), h.type().hashCode());
        } else if (spec.source() instanceof Pvc p) {
            source = ScalaHashes.product("KubernetesPVCVolumeConf", p.claimName().hashCode(), ScalaHashes.option(p.storageClass()),
                    ScalaHashes.option(p.size()), ScalaHashes.someMap(p.labels()), ScalaHashes.someMap(p.annotations()));
        } else if (spec.source() instanceof EmptyDir e) {
            source = ScalaHashes.product("KubernetesEmptyDirVolumeConf", ScalaHashes.option(e.medium()), ScalaHashes.option(e.sizeLimit()));
        } else {
            Nfs n = (Nfs) spec.source();
            source = ScalaHashes.product("KubernetesNFSVolumeConf", n.path().hashCode(), n.server().hashCode());
        }
        return ScalaHashes.product("KubernetesVolumeSpec", spec.name().hashCode(), spec.mountPath().hashCode(),
                spec.mountSubPath().hashCode(), spec.mountSubPathExpr().hashCode(), ScalaHashes.bool(spec.mountReadOnly()), source);
    }

    private static VolumeSpec parseOne(String prefix, Map<String, String> props, String type, String name) {
        String base = type + "." + name + ".";
        Options options = new Options(prefix, base, props);
        if (!Names.isDnsLabel(name)) {
            throw UserInputException.forKey(prefix + base + "mount.path",
                    "volume name '" + name + "' must be a lower-case DNS label (a-z, 0-9, '-', at most 63 characters)");
        }
        String mountPath = options.require("mount.path", "is required for every volume");
        if (props.containsKey(base + "mount.subPath") && props.containsKey(base + "mount.subPathExpr")) {
            throw UserInputException.forKey(prefix + base + "mount.subPathExpr", "cannot be set together with mount.subPath");
        }
        boolean readOnly = options.get("mount.readOnly") != null && options.bool("mount.readOnly");
        VolumeSource source = switch (type) {
            case "hostPath" -> new HostPath(options.require("options.path", "is required for hostPath volumes"),
                    orEmpty(options.get("options.type")));
            case "persistentVolumeClaim" -> new Pvc(
                    options.require("options.claimName", "is required for persistentVolumeClaim volumes"),
                    options.get("options.storageClass"),
                    options.size("options.sizeLimit"),
                    options.subMap("label."),
                    options.subMap("annotation."));
            case "emptyDir" -> new EmptyDir(options.get("options.medium"), options.size("options.sizeLimit"));
            case "nfs" -> new Nfs(options.require("options.path", "is required for nfs volumes"),
                    options.require("options.server", "is required for nfs volumes"));
            default -> throw UserInputException.forKey(prefix + base.substring(0, base.length() - 1),
                    "volume type '" + type + "' is not supported (use hostPath, persistentVolumeClaim, emptyDir or nfs)");
        };
        return new VolumeSpec(name, mountPath, orEmpty(options.get("mount.subPath")),
                orEmpty(options.get("mount.subPathExpr")), readOnly, source);
    }

    private static void rejectDuplicateMountPaths(String prefix, List<VolumeSpec> specs) {
        Map<String, String> seen = new HashMap<>();
        for (VolumeSpec spec : specs) {
            String previous = seen.putIfAbsent(spec.mountPath(), spec.name());
            if (previous != null) {
                throw new UserInputException(prefix + "*: volumes '" + previous + "' and '" + spec.name()
                        + "' have the same mount.path '" + spec.mountPath() + "'");
            }
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** The options of one volume, read relative to {@code <type>.<name>.}. */
    private record Options(String prefix, String base, Map<String, String> props) {

        String get(String option) {
            return props.get(base + option);
        }

        String require(String option, String problem) {
            String value = get(option);
            if (value == null) {
                throw UserInputException.forKey(prefix + base + option, problem);
            }
            return value;
        }

        boolean bool(String option) {
            try {
                return SparkValues.bool(get(option));
            } catch (IllegalArgumentException e) {
                throw UserInputException.forKey(prefix + base + option, e.getMessage());
            }
        }

        /** A size option: a Kubernetes quantity, and (as Spark checks) not a bare number below 1 KiB. */
        String size(String option) {
            String value = get(option);
            if (value == null) {
                return null;
            }
            if (value.chars().allMatch(Character::isDigit) && !value.isEmpty() && Long.parseLong(value) < 1024) {
                throw UserInputException.forKey(prefix + base + option, "volume size '" + value + "' is smaller than 1KiB; missing units?");
            }
            if (!Quantities.isValid(value)) {
                throw UserInputException.forKey(prefix + base + option, "'" + value + "' is not a Kubernetes quantity (e.g. 10Gi)");
            }
            return value;
        }

        Map<String, String> subMap(String subPrefix) {
            Map<String, String> result = new LinkedHashMap<>();
            props.forEach((k, v) -> {
                if (k.startsWith(base + subPrefix)) {
                    result.put(k.substring((base + subPrefix).length()), v);
                }
            });
            return result;
        }
    }
}
