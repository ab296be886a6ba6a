package io.kspark.conf;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** kspark's model of Spark's iteration orders, checked against the Scala 2.13 collections Spark 4.1.1 runs on. */
class SparkIterationOrderTest {

    @RepeatedTest(200)
    void getAllOrderIsTheOrderOfSparksMutableHashSetOfSettings(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        ConcurrentHashMap<String, String> settings = new ConcurrentHashMap<>();
        int size = 1 + random.nextInt(90);
        for (int i = 0; i < size; i++) {
            settings.put("spark.key" + random.nextInt(1_000_000), "value" + random.nextInt(50));
        }
        assertThat(SparkIterationOrder.getAllOrder(settings)).isEqualTo(scalaGetAll(settings));
    }

    @RepeatedTest(200)
    void scalaOrderIsTheOrderOfAnImmutableMapBuiltInThatOrder(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<String> keys = new ArrayList<>();
        scala.collection.immutable.Map<String, String> map = scala.collection.immutable.Map$.MODULE$.empty();
        for (int i = 0, size = 1 + random.nextInt(40); i < size; i++) {
            String key = "k" + random.nextInt(60);
            keys.add(key);
            map = map.updated(key, key);
        }
        List<String> expected = new ArrayList<>();
        map.keysIterator().foreach(key -> expected.add(key));
        assertThat(SparkIterationOrder.scalaOrder(keys)).isEqualTo(expected);
    }

    @RepeatedTest(200)
    void scalaPairSetOrderIsTheOrderOfAnImmutableSetOfTuples(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<List<String>> pairs = new ArrayList<>();
        scala.collection.immutable.Set<scala.Tuple2<String, String>> set = scala.collection.immutable.Set$.MODULE$.empty();
        for (int i = 0, size = 1 + random.nextInt(12); i < size; i++) {
            List<String> pair = List.of(random.nextBoolean() ? "persistentVolumeClaim" : "hostPath", "volume-" + random.nextInt(20));
            pairs.add(pair);
            set = set.incl(new scala.Tuple2<>(pair.get(0), pair.get(1)));
        }
        List<List<String>> expected = new ArrayList<>();
        set.iterator().foreach(tuple -> expected.add(List.of(tuple._1(), tuple._2())));
        assertThat(SparkIterationOrder.scalaPairSetOrder(pairs)).isEqualTo(expected);
    }

    @Test
    void smallScalaCollectionsKeepInsertionOrder() {
        assertThat(SparkIterationOrder.scalaOrder(List.of("tls-cert", "db-creds", "tls-cert"))).containsExactly("tls-cert", "db-creds");
    }

    @Test
    void withPrefixFollowsSparksOrder() {
        SparkConf conf = SparkConf.of(Map.of(
                "spark.kubernetes.driver.secrets.db-creds", "/etc/secrets/db",
                "spark.kubernetes.driver.secrets.tls-cert", "/etc/tls",
                "spark.app.name", "secrets-app"));
        List<String> sparkOrder = scalaGetAll(new ConcurrentHashMap<>(conf.asMap())).stream()
                .filter(k -> k.startsWith("spark.kubernetes.driver.secrets.")).map(k -> k.substring("spark.kubernetes.driver.secrets.".length())).toList();
        assertThat(new ArrayList<>(conf.withPrefix("spark.kubernetes.driver.secrets.").keySet())).isEqualTo(sparkOrder);
    }

    /** What {@code SparkConf.getAll} does: {@code settings.entrySet().asScala.map(e => (e.getKey, e.getValue))}. */
    private static List<String> scalaGetAll(ConcurrentHashMap<String, String> settings) {
        scala.collection.mutable.Set<Map.Entry<String, String>> entries = scala.jdk.javaapi.CollectionConverters.asScala(settings.entrySet());
        Object pairs = entries.map((scala.Function1<Map.Entry<String, String>, scala.Tuple2<String, String>>) e -> new scala.Tuple2<>(e.getKey(), e.getValue()));
        List<String> keys = new ArrayList<>();
        scala.collection.Iterator<?> it = ((scala.collection.Iterable<?>) pairs).iterator();
        while (it.hasNext()) {
            keys.add((String) ((scala.Tuple2<?, ?>) it.next())._1());
        }
        return keys;
    }
}
