package io.kspark.conf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The orders in which Spark iterates its collections, so that lists Spark derives from them
 * (volumes, mounts, env vars, java options, claim numbers) come out in the same order.
 * {@code SparkConf.getAll} maps the settings into a Scala {@code mutable.HashSet} of (key, value)
 * pairs, so everything read through it ({@code getAllWithPrefix}, java options) follows that set's
 * hash order; {@code .toMap} and {@code .toSet} then build Scala immutable collections, which keep
 * insertion order up to four entries and are CHAMP tries (hash order) beyond. Pure functions of the
 * entries; checked against scala-library in the tests.
 */
public final class SparkIterationOrder {

    /** Scala's Map1..Map4 and Set1..Set4 keep insertion order; bigger ones are hash tries. */
    private static final int SCALA_SMALL_COLLECTION = 4;
    private static final int BITS_PER_LEVEL = 5;
    private static final int HASH_BITS = 32;

    private SparkIterationOrder() {
    }

    /**
     * The keys in {@code SparkConf.getAll} order: a Scala 2.13 {@code mutable.HashSet} of the
     * (key, value) pairs, grown from 16 buckets at load factor 0.75, iterated bucket by bucket with
     * each bucket sorted by hash.
     */
    public static List<String> getAllOrder(Map<String, String> settings) {
        int buckets = mutableHashSetBuckets(settings.size());
        record Node(String key, int hash, int arrival) {
        }
        List<Node> nodes = new ArrayList<>(settings.size());
        settings.forEach((k, v) -> {
            int h = tuple2Hash(k, v);
            nodes.add(new Node(k, h ^ (h >>> 16), nodes.size()));
        });
        nodes.sort(Comparator.comparingInt((Node n) -> n.hash() & (buckets - 1)).thenComparingInt(Node::hash).thenComparingInt(Node::arrival));
        return nodes.stream().map(Node::key).toList();
    }

    private static int mutableHashSetBuckets(int elements) {
        int buckets = 16;
        for (int count = 0; count < elements; count++) {
            if (count + 1 >= (int) (buckets * 0.75)) {
                buckets *= 2;
            }
        }
        return buckets;
    }

    /** Iteration order of a Scala 2.13 immutable Map (or Set) of strings built in the given order. */
    public static List<String> scalaOrder(List<String> insertionOrder) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(insertionOrder));
        if (distinct.size() <= SCALA_SMALL_COLLECTION) {
            return distinct;
        }
        List<Integer> hashes = distinct.stream().map(key -> improve(key.hashCode())).toList();
        List<String> out = new ArrayList<>(distinct.size());
        champOrder(distinct, hashes, 0, out);
        return out;
    }

    /** Iteration order of a Scala 2.13 immutable Set of string pairs (Tuple2) built in the given order. */
    public static List<List<String>> scalaPairSetOrder(List<List<String>> insertionOrder) {
        return scalaSetOrder(new ArrayList<>(new LinkedHashSet<>(insertionOrder)), pair -> tuple2Hash(pair.get(0), pair.get(1)));
    }

    /**
     * Iteration order of a Scala 2.13 immutable Set of distinct elements built in the given order, from each
     * element's Scala hash ({@code ##}: a case class's product hash, a Java object's hashCode).
     */
    public static <T> List<T> scalaSetOrder(List<T> distinctInInsertionOrder, ToIntFunction<T> scalaHash) {
        if (distinctInInsertionOrder.size() <= SCALA_SMALL_COLLECTION) {
            return List.copyOf(distinctInInsertionOrder);
        }
        List<String> positions = new ArrayList<>();
        List<Integer> hashes = new ArrayList<>();
        for (T element : distinctInInsertionOrder) {
            positions.add(Integer.toString(positions.size()));
            hashes.add(improve(scalaHash.applyAsInt(element)));
        }
        List<String> ordered = new ArrayList<>(positions.size());
        champOrder(positions, hashes, 0, ordered);
        return ordered.stream().map(position -> distinctInInsertionOrder.get(Integer.parseInt(position))).toList();
    }

    /**
     * A CHAMP node lists the keys that are alone in their 5-bit hash slot first (in slot order), then
     * descends into the slots shared by several keys (in slot order); full-hash collisions keep
     * insertion order.
     */
    private static void champOrder(List<String> keys, List<Integer> hashes, int shift, List<String> out) {
        if (keys.size() == 1 || shift >= HASH_BITS) {
            out.addAll(keys);
            return;
        }
        Map<Integer, List<Integer>> bySlot = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            bySlot.computeIfAbsent((hashes.get(i) >>> shift) & 0x1f, slot -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> shared = new ArrayList<>();
        for (List<Integer> slot : bySlot.values()) {
            if (slot.size() == 1) {
                out.add(keys.get(slot.get(0)));
            } else {
                shared.add(slot);
            }
        }
        for (List<Integer> slot : shared) {
            champOrder(slot.stream().map(keys::get).toList(), slot.stream().map(hashes::get).toList(), shift + BITS_PER_LEVEL, out);
        }
    }

    /** scala.collection.Hashing.improve. */
    static int improve(int hash) {
        int h = hash + ~(hash << 9);
        h ^= h >>> 14;
        h += h << 4;
        return h ^ (h >>> 10);
    }

    /** scala.Tuple2#hashCode. */
    static int tuple2Hash(String first, String second) {
        return ScalaHashes.product("Tuple2", first.hashCode(), second.hashCode());
    }
}
