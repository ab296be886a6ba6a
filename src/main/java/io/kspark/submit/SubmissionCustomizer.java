package io.kspark.submit;

import io.kspark.conf.SparkConf;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.ExecutorSpec;

/**
 * kspark's own additions to what Spark builds (e.g. reconciler labels), applied at the two points
 * where they belong: the conf before Spark's steps run, and the finished objects.
 */
public interface SubmissionCustomizer {

    SubmissionCustomizer NONE = new SubmissionCustomizer() {
    };

    default PreparedSubmission adjustConf(PreparedSubmission prepared) {
        return prepared;
    }

    default DriverObjects adjustObjects(DriverConf conf, DriverObjects objects) {
        return objects;
    }

    /** The dry-run preview of executor 1 (what the reconciler would create). */
    default ExecutorSpec adjustExecutorPreview(SparkConf conf, ExecutorSpec executor) {
        return executor;
    }
}
