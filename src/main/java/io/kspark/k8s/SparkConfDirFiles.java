package io.kspark.k8s;

import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of the submitter's Spark conf dir that Spark ships to the driver in its ConfigMap
 * (log4j2.properties and the like): text files only, no templates or spark*.conf/properties, smallest
 * first until {@code spark.kubernetes.configMap.maxSize} is reached.
 */
public final class SparkConfDirFiles {

    private SparkConfDirFiles() {
    }

    public static Map<String, String> load(LocalEnvironment env, SparkConf conf) {
        Optional<String> dir = env.getenv("SPARK_CONF_DIR").or(() -> conf.getOption("spark.home").map(home -> home + "/conf"));
        if (dir.isEmpty()) {
            return Map.of();
        }
        long maxSize = conf.get(KubernetesKeys.CONFIG_MAP_MAX_SIZE);
        List<Candidate> candidates = new ArrayList<>();
        for (Path file : env.listFiles(dir.get())) {
            String name = file.getFileName().toString();
            byte[] bytes = env.readFile(file.toString());
            boolean tooLargeOrBinary = bytes.length + name.length() > maxSize || name.matches(".*\\.(gz|zip|jar|tar)");
            boolean sparkConfOrTemplate = name.matches(".*\\.template") || name.matches("spark.*(conf|properties)");
            if (!tooLargeOrBinary && !sparkConfOrTemplate) {
                candidates.add(new Candidate(name, bytes));
            }
        }
        candidates.sort(Comparator.comparing(Candidate::name));
        candidates.sort(Comparator.comparingLong(c -> c.name().length() + (long) c.bytes().length));
        Map<String, String> result = new LinkedHashMap<>();
        long total = 0;
        for (Candidate c : candidates) {
            Optional<String> text = utf8(c.bytes());
            if (text.isEmpty()) {
                continue;
            }
            long size = c.name().length() + text.get().length();
            if (total + size < maxSize) {
                result.put(c.name(), text.get());
                total += size;
            }
        }
        return result;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private record Candidate(String name, byte[] bytes) {
    }
}
