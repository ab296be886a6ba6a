package io.kspark.cli;

import io.kspark.submit.SubmissionCustomizer;
import jakarta.enterprise.context.ApplicationScoped;

/** kspark's additions to Spark's submission objects (none yet). */
@ApplicationScoped
public class KsparkSubmissionCustomizer implements SubmissionCustomizer {
}
