package io.kspark.e2e.app;

import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Spark's SparkPi example, in Java: throw darts at a square, count those inside the circle, one slice per task. */
final class SparkPi {

    private static final int DARTS_PER_SLICE = 100_000;

    private SparkPi() {
    }

    static double estimate(JavaSparkContext jsc, int slices) {
        List<Integer> ids = IntStream.range(0, slices).boxed().collect(Collectors.toList());
        long inside = jsc.parallelize(ids, slices).map(slice -> {
            long hits = 0;
            for (int i = 0; i < DARTS_PER_SLICE; i++) {
                double x = ThreadLocalRandom.current().nextDouble() * 2 - 1;
                double y = ThreadLocalRandom.current().nextDouble() * 2 - 1;
                hits += x * x + y * y <= 1 ? 1 : 0;
            }
            return hits;
        }).reduce(Long::sum);
        return 4.0 * inside / ((long) DARTS_PER_SLICE * slices);
    }
}
