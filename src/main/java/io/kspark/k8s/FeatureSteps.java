package io.kspark.k8s;

import io.kspark.conf.ConfEntry;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;

import java.util.List;

/** Step selection shared by the driver and executor builders. */
final class FeatureSteps {

    private FeatureSteps() {
    }

    /** Drops the steps a user excluded by Spark class name. */
    static List<FeatureStep> withoutExcluded(List<FeatureStep> steps, SparkConf conf, ConfEntry<List<String>> excludedKey) {
        List<String> excluded = conf.get(excludedKey);
        return steps.stream().filter(s -> !excluded.contains(s.sparkStepName())).toList();
    }

    /** Custom steps are JVM classes compiled against Spark; kspark cannot load them. */
    static void rejectCustomSteps(SparkConf conf, ConfEntry<List<String>> key) {
        if (!conf.get(key).isEmpty()) {
            throw UserInputException.forKey(key.key(), "custom feature steps are Spark JVM classes and cannot run in kspark;"
                    + " express the change with a pod template instead");
        }
    }
}
