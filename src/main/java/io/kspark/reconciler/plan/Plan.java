package io.kspark.reconciler.plan;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The planner's answer: actions in the order to apply them, the expectations to keep if they
 * succeed, when to look again even if nothing changes, and whether the application is over.
 */
public record Plan(List<Action> actions, Expectations expectations, Optional<Instant> wakeUpAt, boolean appFinished) {

    public Plan {
        actions = List.copyOf(actions);
    }
}
