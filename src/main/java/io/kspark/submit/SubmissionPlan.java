package io.kspark.submit;

import io.kspark.k8s.DriverConf;

/** Everything a submission will do, decided before touching the API server or any file. */
public record SubmissionPlan(PreparedSubmission prepared, UploadPlan uploads, DriverConf driverConf, DriverObjects objects) {
}
