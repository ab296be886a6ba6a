package io.kspark.reconciler.io;

import io.kspark.k8s.ExecutorContext;
import io.kspark.reconciler.plan.AppSettings;

/** What a reconciler needs to build and pace one application's executors; fixed for the app's life. */
public record AppContext(ExecutorContext executors, AppSettings settings) {
}
