package io.kspark.reconciler.io;

import io.kspark.k8s.ExecutorContext;
import io.kspark.reconciler.plan.AppSettings;

import java.util.OptionalInt;

/**
 * What a reconciler needs to build and pace one application's executors; fixed for the app's life.
 *
 * @param claimLimit        the most executor claims the app may hold before new executors wait for a free one
 *                          (spark.kubernetes.driver.waitToReusePersistentVolumeClaim); empty: they never wait
 * @param claimsPerExecutor the OnDemand claims each new executor comes with
 */
public record AppContext(ExecutorContext executors, AppSettings settings, OptionalInt claimLimit, int claimsPerExecutor) {
}
