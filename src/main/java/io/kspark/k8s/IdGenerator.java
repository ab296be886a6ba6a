package io.kspark.k8s;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;

/** The random parts of names, in Spark's forms; injectable so tests can fix them. */
public interface IdGenerator {

    /** 16 hex characters: 6 random, then the low 40 bits of the current time in millis. */
    String uniqueId();

    /** {@code spark-} followed by 32 hex characters. */
    String appId();

    /** A random UUID string (local-dir names, upload directories). */
    String uuid();

    static IdGenerator random(Clock clock) {
        return new Random(clock);
    }

    final class Random implements IdGenerator {
        private final SecureRandom rng = new SecureRandom();
        private final Clock clock;

        private Random(Clock clock) {
            this.clock = clock;
        }

        @Override
        public String uniqueId() {
            byte[] bytes = new byte[3];
            synchronized (rng) {
                rng.nextBytes(bytes);
            }
            return HexFormat.of().formatHex(bytes) + Long.toHexString(clock.millis() & 0xFFFFFFFFFFL);
        }

        @Override
        public String appId() {
            return "spark-" + UUID.randomUUID().toString().replace("-", "");
        }

        @Override
        public String uuid() {
            return UUID.randomUUID().toString();
        }
    }
}
