package io.kspark.cli;

import io.kspark.k8s.IdGenerator;
import io.kspark.k8s.LocalEnvironment;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** The machine-dependent inputs of a submission, in one bean so tests can replace them. */
@ApplicationScoped
public class SubmitEnvironment {

    private final Clock clock = Clock.systemUTC();
    private final IdGenerator ids = IdGenerator.random(clock);

    public LocalEnvironment env() {
        return LocalEnvironment.system();
    }

    public IdGenerator ids() {
        return ids;
    }

    public Clock clock() {
        return clock;
    }
}
