package io.kspark.testing;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.LocalEnvironment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory machine: environment variables and files, user "root". */
public final class TestEnvironment implements LocalEnvironment {

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, byte[]> files = new HashMap<>();

    public static TestEnvironment empty() {
        return new TestEnvironment();
    }

    public TestEnvironment withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    public TestEnvironment withFile(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public TestEnvironment withFile(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    @Override
    public Optional<String> getenv(String name) {
        return Optional.ofNullable(env.get(name));
    }

    @Override
    public String userName() {
        return env.getOrDefault("SPARK_USER", "root");
    }

    @Override
    public byte[] readFile(String path) {
        byte[] content = files.get(path);
        if (content == null) {
            throw new UserInputException("cannot read " + path + ": no such file");
        }
        return content;
    }

    @Override
    public List<Path> listFiles(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return files.keySet().stream()
                .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                .sorted()
                .map(Path::of)
                .toList();
    }
}
