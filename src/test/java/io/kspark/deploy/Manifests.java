package io.kspark.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the kustomizations under {@code k8s/} with {@code kubectl kustomize} (or a standalone
 * {@code kustomize build}) and parses the result into fabric8 objects.
 */
final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** The repository root: the working directory or the nearest parent holding pom.xml and k8s/. */
    static Path projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("k8s"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find the project root (a directory with pom.xml and k8s/) from " + dir);
    }

    static Path path(String relative) {
        return projectRoot().resolve(relative);
    }

    /** The objects {@code kubectl kustomize <dir>} renders, in order; dir is relative to the project root. */
    static List<HasMetadata> render(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> Collections.unmodifiableList(parse(kustomize(path(d)), d)));
    }

    /** Parses a YAML stream of one or more documents into Kubernetes objects. */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (!(parsed instanceof HasMetadata object)) {
                throw new AssertionError(source + ": a document is not a Kubernetes object: " + parsed);
            }
            objects.add(object);
        }
        return objects;
    }

    static List<HasMetadata> parseFile(String relative) {
        try {
            return parse(Files.readString(path(relative), StandardCharsets.UTF_8), relative);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T single(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> matches = ofType(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " named " + name + ", found " + matches.size());
        }
        return matches.get(0);
    }

    static Set<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).collect(TreeSet::new, Set::add, Set::addAll);
    }

    /**
     * What a list of RBAC rules grants, as {@code "<apiGroup>/<resource>" -> verbs} (core group:
     * {@code "/pods"}), merged over rules. Rules restricted to resourceNames or non-resource URLs are
     * reported as such so that exact comparisons notice them.
     */
    static Map<String, Set<String>> grants(List<PolicyRule> rules) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (PolicyRule rule : rules) {
            String suffix = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                    ? "" : "#" + String.join(",", new TreeSet<>(rule.getResourceNames()));
            for (String url : nullToEmpty(rule.getNonResourceURLs())) {
                grants.computeIfAbsent("url:" + url, k -> new TreeSet<>()).addAll(nullToEmpty(rule.getVerbs()));
            }
            for (String group : nullToEmpty(rule.getApiGroups())) {
                for (String resource : nullToEmpty(rule.getResources())) {
                    grants.computeIfAbsent(group + "/" + resource + suffix, k -> new TreeSet<>()).addAll(nullToEmpty(rule.getVerbs()));
                }
            }
        }
        return grants;
    }

    private static List<String> nullToEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    // ---------------------------------------------------------------------------------------------

    private static String kustomize(Path dir) {
        List<String> command = kustomizeCommand(dir);
        Process process;
        try {
            process = new ProcessBuilder(command).directory(projectRoot().toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = readAll(process.getInputStream());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 60s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + stderr.join());
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    private static List<String> kustomizeCommand(Path dir) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            return List.of(kubectl.get().toString(), "kustomize", dir.toString());
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build", dir.toString());
        }
        throw new AssertionError("kubectl is required to test the Kubernetes manifests in k8s/ and was not found on PATH ("
                + System.getenv("PATH") + "). Install kubectl 1.27+ (it has kustomize built in) or a standalone kustomize 5,"
                + " and put it on PATH.");
    }

    private static Optional<Path> onPath(String executable) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.of(path.split(Pattern.quote(File.pathSeparator)))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s, executable))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
