package io.kspark.reconciler.plan;

import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.kspark.reconciler.Pods.driver;
import static io.kspark.reconciler.Pods.executor;
import static io.kspark.reconciler.Pods.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimBudgetTest {

    static final Instant NOW = PlannerTest.NOW;
    static final String WAIT = "spark.kubernetes.driver.waitToReusePersistentVolumeClaim";

    static SparkConf conf(String... kv) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return SparkConf.of(map);
    }

    @Test
    void onlyAnAppThatOwnsReusesAndWaitsHasALimit() {
        assertThat(ClaimBudget.limit(conf())).isEmpty();
        assertThat(ClaimBudget.limit(conf(WAIT, "true"))).hasValue(2);
        assertThat(ClaimBudget.limit(conf(WAIT, "true", "spark.executor.instances", "7"))).hasValue(7);
        assertThat(ClaimBudget.limit(conf(WAIT, "true", "spark.kubernetes.driver.reusePersistentVolumeClaim", "false"))).isEmpty();
        assertThat(ClaimBudget.limit(conf(WAIT, "true", "spark.kubernetes.driver.ownPersistentVolumeClaim", "false"))).isEmpty();
        // With dynamic allocation Spark's limit is maxExecutors (unbounded by default), not the instances.
        assertThat(ClaimBudget.limit(conf(WAIT, "true", "spark.dynamicAllocation.enabled", "true", "spark.executor.instances", "3",
                "spark.dynamicAllocation.maxExecutors", "5"))).hasValue(5);
        assertThat(ClaimBudget.limit(conf(WAIT, "true", "spark.dynamicAllocation.enabled", "true"))).isEqualTo(OptionalInt.of(Integer.MAX_VALUE));
    }

    @Test
    void anUnreadableInstanceCountNamesItsKey() {
        assertThatThrownBy(() -> ClaimBudget.limit(conf(WAIT, "true", "spark.executor.instances", "many")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("spark.executor.instances");
    }

    /** limit, existing, free, claims per executor, executors wanted → how many get claims */
    @ParameterizedTest(name = "limit {0}, existing {1}, free {2}, per executor {3}: {4} executors wanted -> {5}")
    @CsvSource({
            "2, 0, 0, 1, 3, 2",   // a fresh app stops at its limit
            "2, 2, 0, 1, 1, 0",   // at the limit with nothing free: wait
            "2, 2, 1, 1, 3, 1",   // a free claim lets one through, then the limit holds again
            "4, 2, 0, 2, 3, 1",   // two claims per executor: the counter moves by two
            "2, 2, 0, 0, 3, 0",   // Spark's test does not ask whether the executor wants a claim at all
            "3, 1, 1, 2, 3, 2"})  // one reused and one new claim, then the third executor finds the limit reached
    void executorsGetClaimsUntilTheLimitUnlessOneIsFree(int limit, int existing, int free, int perExecutor, int wanted, int admitted) {
        Optional<ClaimBudget> budget = Optional.of(new ClaimBudget(limit, existing, free, perExecutor, Optional.empty()));
        int through = 0;
        for (int i = 0; i < wanted; i++) {
            budget = budget.flatMap(ClaimBudget::afterOneMore);
            if (budget.isEmpty()) {
                break;
            }
            through++;
        }
        assertThat(through).isEqualTo(admitted);
    }

    @Test
    void thePlannerCreatesOnlyWhatTheBudgetAdmitsAndLooksAgainWhenAClaimComesOfAge() {
        Instant claimFree = NOW.plusSeconds(40);
        var snapshot = snapshot(driver("Running", "3"), executor(1, "Running", null));
        ClaimBudget atLimit = new ClaimBudget(3, 3, 0, 1, Optional.of(claimFree));

        Plan waiting = Planner.plan(snapshot, PlannerTest.SETTINGS, Expectations.none(), NOW, Optional.of(atLimit));

        assertThat(PlannerTest.created(waiting)).isEmpty();
        assertThat(waiting.wakeUpAt()).hasValue(claimFree);
        // Nothing was spent: no id is persisted, and the batch gate stays open for the moment a claim frees.
        assertThat(waiting.actions()).isEmpty();
        assertThat(waiting.expectations().lastBatchAt()).isEmpty();

        Plan oneFree = Planner.plan(snapshot, PlannerTest.SETTINGS, Expectations.none(), NOW,
                Optional.of(new ClaimBudget(3, 3, 1, 1, Optional.empty())));
        assertThat(PlannerTest.created(oneFree)).containsExactly(2L);
        assertThat(oneFree.actions().get(0)).isInstanceOfSatisfying(Action.PersistAllocation.class,
                persist -> assertThat(persist.lastExecutorId()).isEqualTo(2));
    }

    @Test
    void withoutABudgetThePlanIsUnchanged() {
        var snapshot = snapshot(driver("Running", "3"));
        assertThat(PlannerTest.created(Planner.plan(snapshot, PlannerTest.SETTINGS, Expectations.none(), NOW, Optional.empty())))
                .isEqualTo(List.of(1L, 2L, 3L));
        assertThat(PlannerTest.created(Planner.plan(snapshot, PlannerTest.SETTINGS, Expectations.none(), NOW,
                Optional.of(new ClaimBudget(10, 0, 0, 1, Optional.of(NOW.plus(Duration.ofSeconds(5)))))))).isEqualTo(List.of(1L, 2L, 3L));
    }
}
