package io.kspark.conf;

import java.util.Map;

/**
 * Scala 2.13's {@code ##} of the values Spark keeps in hash sets (scala.util.hashing.MurmurHash3), so that kspark
 * can list what Spark derives from such a set in Spark's order. Checked against scala-library in the tests.
 */
public final class ScalaHashes {

    private static final int PRODUCT_SEED = 0xcafebabe;
    private static final int NONE = "None".hashCode();

    private ScalaHashes() {
    }

    /** A case class (or tuple) named {@code prefix} with elements of these hashes: MurmurHash3.productHash. */
    public static int product(String prefix, int... elementHashes) {
        if (elementHashes.length == 0) {
            return prefix.hashCode();
        }
        int h = mix(PRODUCT_SEED, prefix.hashCode());
        for (int element : elementHashes) {
            h = mix(h, element);
        }
        return finalizeHash(h, elementHashes.length);
    }

    /** {@code Option[String]}: {@code None} for null, else {@code Some(value)}. */
    public static int option(String value) {
        return value == null ? NONE : product("Some", value.hashCode());
    }

    /** {@code Some(map)}, for an {@code Option[Map[String, String]]} that Spark always fills. */
    public static int someMap(Map<String, String> map) {
        return product("Some", map(map));
    }

    public static int bool(boolean value) {
        return Boolean.hashCode(value);
    }

    /** {@code Map[String, String]}: MurmurHash3.mapHash, independent of the entries' order. */
    public static int map(Map<String, String> map) {
        int sum = 0;
        int xor = 0;
        int product = 1;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            int h = product("Tuple2", entry.getKey().hashCode(), entry.getValue().hashCode());
            sum += h;
            xor ^= h;
            product *= h | 1;
        }
        int h = mix("Map".hashCode(), sum);
        h = mix(h, xor);
        h = mixLast(h, product);
        return finalizeHash(h, map.size());
    }

    private static int mix(int hash, int data) {
        int h = mixLast(hash, data);
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xe6546b64;
    }

    private static int mixLast(int hash, int data) {
        int k = data * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        return hash ^ k;
    }

    private static int finalizeHash(int hash, int length) {
        int h = hash ^ length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
