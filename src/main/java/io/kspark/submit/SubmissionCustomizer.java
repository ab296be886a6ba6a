package io.kspark.submit;

import io.kspark.k8s.DriverConf;

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
}
