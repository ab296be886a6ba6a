package io.kspark.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kspark.cli.KsparkSubmissionCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static checks of the Dockerfiles under docker/ (no container engine is needed): they exist, end
 * as a non-root user, keep the entrypoint contract, and only COPY what their build context sends.
 */
class DockerfilesTest {

    static final String NATIVE = "docker/Dockerfile.native";
    static final String JVM = "docker/Dockerfile.jvm";
    static final String SPARK = "docker/Dockerfile.spark";

    record Instruction(String keyword, String args) {
    }

    @ParameterizedTest
    @ValueSource(strings = {NATIVE, JVM, SPARK})
    void runsAsANonRootUser(String dockerfile) {
        List<Instruction> instructions = parse(dockerfile);
        int lastFrom = lastIndexOf(instructions, "FROM");
        int lastUser = lastIndexOf(instructions, "USER");
        assertThat(lastFrom).as("%s has a FROM", dockerfile).isGreaterThanOrEqualTo(0);
        assertThat(lastUser).as("%s sets USER after its last FROM", dockerfile).isGreaterThan(lastFrom);
        String user = instructions.get(lastUser).args().split(":")[0].trim();
        assertThat(user).as("final USER of %s", dockerfile).isNotIn("root", "0", "");
        assertThat(user).as("final USER of %s is numeric, so Kubernetes can verify runAsNonRoot", dockerfile).matches("[1-9][0-9]*");
    }

    @Test
    void nativeImageRunsTheRunnerAsItsEntrypoint() {
        List<Instruction> instructions = parse(NATIVE);
        assertThat(execForm(instructions, "ENTRYPOINT")).containsExactly("/work/kspark");
        assertThat(instructions).anyMatch(i -> i.keyword().equals("COPY") && i.args().matches(".*target/\\*-runner\\s+/work/kspark"));
        assertThat(resolvedFrom(instructions)).contains("quarkus-micro-image");
        assertThat(finalUid(NATIVE)).isEqualTo(1001);
    }

    @Test
    void jvmImageRunsTheFastJarAsItsEntrypoint() {
        List<Instruction> instructions = parse(JVM);
        List<String> entrypoint = execForm(instructions, "ENTRYPOINT");
        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).containsSubsequence("-jar", "/deployments/quarkus-run.jar");
        assertThat(entrypoint).last().isEqualTo("/deployments/quarkus-run.jar");
        List<String> sources = copySources(instructions);
        assertThat(sources).contains("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        assertThat(resolvedFrom(instructions)).contains("17");
        assertThat(finalUid(JVM)).isEqualTo(finalUid(NATIVE));
    }

    @Test
    void sparkImageAddsThePluginJarAndKeepsSparksContract() {
        List<Instruction> instructions = parse(SPARK);
        assertThat(resolvedFrom(instructions)).isEqualTo("apache/spark:4.1.1");
        assertThat(instructions).as("Spark's own entrypoint and command are kept")
                .noneMatch(i -> i.keyword().equals("ENTRYPOINT") || i.keyword().equals("CMD"));
        assertThat(instructions).as("Spark's WORKDIR and environment are kept")
                .noneMatch(i -> i.keyword().equals("WORKDIR") || i.keyword().equals("ENV"));

        int copy = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("COPY")) {
                copy = i;
            }
        }
        assertThat(copy).isGreaterThanOrEqualTo(0);
        String[] copyArgs = instructions.get(copy).args().split("\\s+");
        assertThat(copyArgs[copyArgs.length - 1]).isEqualTo("/opt/spark/jars/");
        assertThat(copySources(instructions)).singleElement().asString()
                .isEqualTo("spark-plugin/target/kspark-spark-plugin-0.1.0-SNAPSHOT.jar");

        int root = lastIndexOf(instructions.subList(0, copy), "USER");
        assertThat(root).as("USER root before the COPY").isGreaterThanOrEqualTo(0);
        assertThat(instructions.get(root).args()).isEqualTo("root");
        assertThat(finalUid(SPARK)).as("Spark's user (spark = 185)").isEqualTo(185);
    }

    @ParameterizedTest
    @ValueSource(strings = {NATIVE, JVM, SPARK})
    void buildContextSendsWhatTheDockerfileCopies(String dockerfile) {
        Path ignore = Manifests.path(dockerfile + ".dockerignore");
        assertThat(ignore).as("Dockerfile-specific ignore file").isRegularFile();
        List<String> patterns = read(ignore).lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(patterns).as("%s excludes everything first", ignore).first().isEqualTo("*");
        List<String> included = patterns.stream().filter(p -> p.startsWith("!")).map(p -> p.substring(1).replaceAll("/+$", "")).toList();
        for (String source : copySources(parse(dockerfile))) {
            String src = source.replaceAll("/+$", "");
            assertThat(included).as("%s: COPY source %s is in the build context", dockerfile, source).anyMatch(p -> src.equals(p)
                    || src.startsWith(p + "/") || FileSystems.getDefault().getPathMatcher("glob:" + p).matches(Path.of(src)));
        }
    }

    @Test
    void controllerDeploymentRunsAsTheImageUser() {
        Deployment deployment = Manifests.single(Manifests.render(KubernetesManifestsTest.ALL_NAMESPACES), Deployment.class,
                KubernetesManifestsTest.CONTROLLER);
        var pod = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(pod.getRunAsUser()).isEqualTo((long) finalUid(NATIVE));
    }

    @Test
    void theSidecarKsparkSubmitAddsRunsAsTheImageUser() {
        assertThat(KsparkSubmissionCustomizer.SIDECAR_USER).isEqualTo((long) finalUid(NATIVE)).isEqualTo((long) finalUid(JVM));
    }

    // ---------------------------------------------------------------------------------------------

    /** Instructions with line continuations joined and comments (including parser directives) dropped. */
    static List<Instruction> parse(String dockerfile) {
        Path path = Manifests.path(dockerfile);
        assertThat(path).as("%s exists", dockerfile).isRegularFile();
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : read(path).lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().trim();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].trim() : ""));
        }
        assertThat(current.toString()).as("%s ends inside a continued line", dockerfile).isBlank();
        return instructions;
    }

    static int lastIndexOf(List<Instruction> instructions, String keyword) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }

    static int finalUid(String dockerfile) {
        List<Instruction> instructions = parse(dockerfile);
        return Integer.parseInt(instructions.get(lastIndexOf(instructions, "USER")).args().split(":")[0].trim());
    }

    static List<String> execForm(List<Instruction> instructions, String keyword) {
        int index = lastIndexOf(instructions, keyword);
        assertThat(index).as("%s present", keyword).isGreaterThanOrEqualTo(0);
        String args = instructions.get(index).args();
        assertThat(args).as("%s in exec (JSON) form", keyword).startsWith("[");
        try {
            return new ObjectMapper().readValue(args, new TypeReference<List<String>>() {
            });
        } catch (IOException e) {
            throw new AssertionError(keyword + " is not a JSON array: " + args, e);
        }
    }

    /** The last stage's base image, with ARG defaults substituted. */
    static String resolvedFrom(List<Instruction> instructions) {
        return substitute(instructions.get(lastIndexOf(instructions, "FROM")).args().split("\\s+")[0], argDefaults(instructions));
    }

    /** Sources of every COPY (flags dropped, ARG defaults substituted). */
    static List<String> copySources(List<Instruction> instructions) {
        Map<String, String> args = argDefaults(instructions);
        List<String> sources = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (!instruction.keyword().equals("COPY")) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(instruction.args().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            assertThat(words).as("COPY %s", instruction.args()).hasSizeGreaterThanOrEqualTo(2);
            words.subList(0, words.size() - 1).forEach(w -> sources.add(substitute(w, args)));
        }
        return sources;
    }

    static Map<String, String> argDefaults(List<Instruction> instructions) {
        Map<String, String> args = new HashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("ARG")) {
                String[] kv = instruction.args().split("=", 2);
                if (kv.length == 2) {
                    args.put(kv[0].trim(), kv[1].trim().replaceAll("^\"|\"$", ""));
                }
            }
        }
        return args;
    }

    static String substitute(String text, Map<String, String> args) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            assertThat(args).as("ARG %s has a default", name).containsKey(name);
            m.appendReplacement(out, Matcher.quoteReplacement(args.get(name)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
