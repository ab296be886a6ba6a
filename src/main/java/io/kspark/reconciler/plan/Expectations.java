package io.kspark.reconciler.plan;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the reconciler remembers between cycles because the API server cannot tell it yet: creates
 * and deletes in flight (each with a deadline), when the last batch went out, and which failures it
 * already counted. Everything here is safe to lose on restart.
 *
 * @param creates           executor id to (resource profile, time of the create) for pods not yet seen
 * @param deletes           executor id to time of the delete, for pods still visible
 * @param lastBatchAt       when the last batch of creates was issued
 * @param countedFailures   failed executor ids already counted
 * @param reportedProblem   the last problem reported as an Event, so it is reported once
 */
public record Expectations(Map<Long, InFlightCreate> creates, Map<Long, Instant> deletes, Optional<Instant> lastBatchAt,
                           Set<Long> countedFailures, Optional<String> reportedProblem) {

    /** A create issued at {@code at} for {@code resourceProfileId}. */
    public record InFlightCreate(int resourceProfileId, Instant at) {
    }

    public Expectations {
        creates = Collections.unmodifiableMap(new TreeMap<>(creates));
        deletes = Collections.unmodifiableMap(new TreeMap<>(deletes));
        countedFailures = Collections.unmodifiableSet(new TreeSet<>(countedFailures));
    }

    public Expectations withReportedProblem(Optional<String> problem) {
        return new Expectations(creates, deletes, lastBatchAt, countedFailures, problem);
    }

    public static Expectations none() {
        return new Expectations(Map.of(), Map.of(), Optional.empty(), Set.of(), Optional.empty());
    }
}
