package io.kspark.reconciler.plan;

import io.fabric8.kubernetes.api.model.Pod;
import io.kspark.reconciler.model.KsparkMetadata;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the driver pod's annotations say: the wanted executors per resource profile and the
 * bookkeeping that must survive restarts.
 *
 * @param targets         wanted executors by resource profile id; empty when no valid target is set
 * @param targetError     why no executors may be created: the target or the last executor id could not be read
 * @param lastExecutorIdUnreadable the annotation holding the id high-water mark cannot be read: nothing may be written
 *                        over it (a guess could let ids be reused)
 * @param lastExecutorId  the highest executor id ever allocated
 * @param failures        executor failures counted so far
 * @param countedFailures failed executors already in {@code failures} whose pods may still be visible
 * @param failureTimes    when the failures that still count happened (kept with spark.executor.failuresValidityInterval)
 * @param stopped         why allocation stopped for good, once it has
 * @param heartbeat       when a client-mode driver last said it is alive; empty for a submitted driver
 */
public record Allocation(Map<Integer, Integer> targets, Optional<String> targetError, boolean lastExecutorIdUnreadable,
                         long lastExecutorId, int failures, Set<Long> countedFailures, List<Instant> failureTimes,
                         Optional<String> stopped, Optional<Instant> heartbeat) {

    public Allocation {
        targets = Collections.unmodifiableMap(new TreeMap<>(targets));
        countedFailures = Collections.unmodifiableSet(new TreeSet<>(countedFailures));
        failureTimes = List.copyOf(failureTimes);
    }

    public static Allocation of(Pod driver) {
        Map<String, String> annotations = driver.getMetadata().getAnnotations() == null ? Map.of() : driver.getMetadata().getAnnotations();
        Optional<String> error = Optional.empty();
        Map<Integer, Integer> targets = Map.of();
        String target = annotations.get(KsparkMetadata.EXECUTOR_TARGET);
        if (target != null) {
            try {
                targets = parseTargets(target);
            } catch (IllegalArgumentException e) {
                error = Optional.of(e.getMessage());
            }
        }
        String lastId = annotations.get(KsparkMetadata.LAST_EXECUTOR_ID);
        boolean lastIdUnreadable = lastId != null && parseLong(lastId) < 0;
        if (lastIdUnreadable) {
            // Guessing could hand out ids this application already used; stop until someone mends it.
            error = Optional.of("annotation " + KsparkMetadata.LAST_EXECUTOR_ID + " '" + lastId
                    + "' is not an executor id; kspark creates no executors rather than risk reusing one");
            targets = Map.of();
        }
        return new Allocation(targets, error, lastIdUnreadable,
                Math.max(0, parseLong(lastId)),
                (int) Math.min(Integer.MAX_VALUE, Math.max(0, parseLong(annotations.get(KsparkMetadata.EXECUTOR_FAILURES)))),
                parsePositiveNumbers(annotations.get(KsparkMetadata.COUNTED_FAILURES)),
                parsePositiveNumbers(annotations.get(KsparkMetadata.EXECUTOR_FAILURE_TIMES)).stream().map(Instant::ofEpochMilli).toList(),
                Optional.ofNullable(annotations.get(KsparkMetadata.ALLOCATION_STOPPED)),
                parseInstant(annotations.get(KsparkMetadata.DRIVER_HEARTBEAT)));
    }

    /** An unreadable heartbeat counts as none: kspark never gives a driver up on a value it cannot read. */
    private static Optional<Instant> parseInstant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 5} (default profile) or {@code 0=5,1=2} (per resource profile); counts must be >= 0. */
    public static Map<Integer, Integer> parseTargets(String text) {
        Map<Integer, Integer> targets = new TreeMap<>();
        try {
            if (!text.contains("=")) {
                targets.put(0, Integer.parseInt(text.trim()));
            } else {
                for (String part : text.split(",")) {
                    String[] kv = part.split("=", 2);
                    targets.put(Integer.parseInt(kv[0].trim()), Integer.parseInt(kv[1].trim()));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("executor target '" + text + "' is not a count or <profile>=<count> list");
        }
        if (targets.values().stream().anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("executor target '" + text + "' has a negative count");
        }
        return targets;
    }

    public static String formatTargets(Map<Integer, Integer> targets) {
        if (targets.size() == 1 && targets.containsKey(0)) {
            return Integer.toString(targets.get(0));
        }
        StringBuilder text = new StringBuilder();
        new TreeMap<>(targets).forEach((rp, n) -> text.append(text.isEmpty() ? "" : ",").append(rp).append('=').append(n));
        return text.toString();
    }

    /**
     * {@code 3,7}: executor ids or epoch milliseconds, ascending; entries that are not positive numbers are skipped (at
     * worst a failure is counted twice, or expires early).
     */
    private static Set<Long> parsePositiveNumbers(String value) {
        Set<Long> ids = new TreeSet<>();
        if (value != null) {
            for (String part : value.split(",")) {
                long id = parseLong(part);
                if (id > 0) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    public static String formatTimes(List<Instant> times) {
        return String.join(",", times.stream().map(t -> Long.toString(t.toEpochMilli())).toList());
    }

    public static String formatIds(Set<Long> ids) {
        return String.join(",", ids.stream().sorted().map(String::valueOf).toList());
    }

    /** The number, 0 when absent, -1 when unreadable or negative. */
    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Math.max(-1, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
