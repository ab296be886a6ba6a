package io.kspark.testing;

import io.kspark.k8s.IdGenerator;

import java.util.concurrent.atomic.AtomicInteger;

/** Predictable ids in Spark's forms: unique ids 0000000000000001, 0000000000000002, ... */
public final class FixedIds implements IdGenerator {

    public static final String APP_ID = "spark-00000000000000000000000000000abc";

    private final AtomicInteger unique = new AtomicInteger();
    private final AtomicInteger uuids = new AtomicInteger();

    @Override
    public String uniqueId() {
        return String.format("%016x", unique.incrementAndGet());
    }

    @Override
    public String appId() {
        return APP_ID;
    }

    @Override
    public String uuid() {
        return String.format("00000000-0000-0000-0000-%012d", uuids.incrementAndGet());
    }
}
