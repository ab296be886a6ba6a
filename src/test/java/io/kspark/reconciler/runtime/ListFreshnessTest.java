package io.kspark.reconciler.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ListFreshnessTest {

    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    final ListFreshness freshness = ListFreshness.forPollInterval(2, Duration.ofSeconds(30));

    @Test
    void theWindowIsThreePollIntervals() {
        assertThat(freshness.window()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void freshWhileEverySourceListedWithinTheWindow() {
        assertThat(freshness.isFresh(Map.of("DRIVER@*", NOW.minusSeconds(90), "EXECUTOR@*", NOW), NOW)).isTrue();
        assertThat(freshness.staleSources(Map.of("DRIVER@*", NOW.minusSeconds(90), "EXECUTOR@*", NOW), NOW)).isZero();
    }

    @Test
    void oneSourceBeyondTheWindowMakesItStale() {
        Map<String, Instant> lists = Map.of("DRIVER@*", NOW.minusSeconds(91), "EXECUTOR@*", NOW);
        assertThat(freshness.isFresh(lists, NOW)).isFalse();
        assertThat(freshness.staleSources(lists, NOW)).isEqualTo(1);
    }

    @Test
    void aSourceThatNeverListedIsNotFresh() {
        assertThat(freshness.isFresh(Map.of("DRIVER@*", NOW), NOW)).isFalse();
    }
}
