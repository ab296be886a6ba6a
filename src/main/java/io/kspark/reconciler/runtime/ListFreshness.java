package io.kspark.reconciler.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Whether the reconciler's picture of the cluster is recent: every source it lists has answered a list within the
 * window. Watches can go quiet without failing, so only a completed list counts; lost API access shows up here as
 * lists that stop arriving.
 */
public record ListFreshness(int expectedSources, Duration window) {

    /** Three poll intervals: one slow or failed list is not yet news, three in a row are. */
    public static ListFreshness forPollInterval(int expectedSources, Duration pollInterval) {
        return new ListFreshness(expectedSources, pollInterval.multipliedBy(3));
    }

    public boolean isFresh(Map<String, Instant> lastListBySource, Instant now) {
        return lastListBySource.size() >= expectedSources
                && lastListBySource.values().stream().noneMatch(listed -> listed.plus(window).isBefore(now));
    }

    /** Sources whose last list is older than the window (for the health check's data). */
    public long staleSources(Map<String, Instant> lastListBySource, Instant now) {
        return lastListBySource.values().stream().filter(listed -> listed.plus(window).isBefore(now)).count();
    }
}
