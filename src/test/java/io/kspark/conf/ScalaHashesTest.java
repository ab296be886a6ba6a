package io.kspark.conf;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** kspark's Scala hashes against scala-library 2.13 (the Scala of Spark 4.1.1). */
class ScalaHashesTest {

    @Test
    void optionsAndBooleansHashAsInScala() {
        assertThat(ScalaHashes.option(null)).isEqualTo(scala.None$.MODULE$.hashCode());
        assertThat(ScalaHashes.option("10Gi")).isEqualTo(scala.Some.apply("10Gi").hashCode());
        assertThat(ScalaHashes.bool(true)).isEqualTo(scala.runtime.Statics.anyHash(Boolean.TRUE));
        assertThat(ScalaHashes.bool(false)).isEqualTo(scala.runtime.Statics.anyHash(Boolean.FALSE));
    }

    @Test
    void productsHashAsCaseClassesDo() {
        // A tuple is a case class named TupleN: the same product hash as Spark's KubernetesVolumeSpec & co.
        assertThat(ScalaHashes.product("Tuple3", "a".hashCode(), ScalaHashes.option(null), ScalaHashes.bool(true)))
                .isEqualTo(new scala.Tuple3<>("a", scala.None$.MODULE$, true).hashCode());
        assertThat(ScalaHashes.product("Tuple2", "x".hashCode(), ScalaHashes.option("y")))
                .isEqualTo(new scala.Tuple2<>("x", scala.Some.apply("y")).hashCode());
    }

    @RepeatedTest(50)
    void mapsHashAsScalaMapsInAnyOrder(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        Map<String, String> map = new LinkedHashMap<>();
        scala.collection.immutable.Map<String, String> scalaMap = scala.collection.immutable.Map$.MODULE$.empty();
        for (int i = 0, size = random.nextInt(9); i < size; i++) {
            String key = "label" + random.nextInt(20);
            String value = "v" + random.nextInt(5);
            map.put(key, value);
            scalaMap = scalaMap.updated(key, value);
        }
        assertThat(ScalaHashes.map(map)).isEqualTo(scalaMap.hashCode());
        assertThat(ScalaHashes.someMap(map)).isEqualTo(scala.Some.apply(scalaMap).hashCode());
    }

    @RepeatedTest(50)
    void scalaSetOrderIsTheOrderOfAnImmutableSetOfThoseHashes(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<scala.Tuple2<String, Object>> elements = new ArrayList<>();
        scala.collection.immutable.Set<scala.Tuple2<String, Object>> set = scala.collection.immutable.Set$.MODULE$.empty();
        for (int i = 0, size = 1 + random.nextInt(12); i < size; i++) {
            scala.Tuple2<String, Object> element = new scala.Tuple2<>("volume-" + i, random.nextBoolean());
            elements.add(element);
            set = set.incl(element);
        }
        List<scala.Tuple2<String, Object>> expected = new ArrayList<>();
        set.iterator().foreach(expected::add);
        assertThat(SparkIterationOrder.scalaSetOrder(elements, t -> ScalaHashes.product("Tuple2", t._1().hashCode(),
                ScalaHashes.bool((Boolean) t._2())))).isEqualTo(expected);
    }
}
