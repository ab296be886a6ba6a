package io.kspark.cli;

import io.kspark.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** spark-submit's command-line habits, and bad input caught before any API call (no server: dry runs and refusals). */
class CommandLineCompatibilityTest {

    static final String CLOSED_PORT = "k8s://https://127.0.0.1:1";

    static Cli.Result dryRun(String... extra) {
        List<String> args = new ArrayList<>(List.of("submit", "--dry-run", "--master", "k8s://https://kubernetes.example:6443",
                "--deploy-mode", "cluster", "--class", "org.apache.spark.examples.SparkPi",
                "--conf", "spark.kubernetes.container.image=apache/spark:4.1.1"));
        args.addAll(List.of(extra));
        if (args.stream().noneMatch(a -> a.startsWith("local://"))) {
            args.add("local:///opt/spark/examples/jars/spark-examples.jar");
        }
        return Cli.run(new OneShotFactory(), args.toArray(String[]::new));
    }

    @Test
    void applicationArgumentsThatLookLikeArgumentFilesStayUntouched(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-the-file");
        Cli.Result result = dryRun("local:///opt/app.jar", "@" + file, "@missing");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("- \"@" + file + "\"").contains("- \"@missing\"").doesNotContain("from-the-file");
    }

    @Test
    void podTemplatesWithEmptyListsDryRun(@TempDir Path dir) throws Exception {
        // Keys with nothing under them read as null lists: the dry run must still render (and redact) both pods.
        Path template = Files.writeString(dir.resolve("template.yaml"), String.join("\n", "apiVersion: v1", "kind: Pod", "spec:",
                "  initContainers:", "  containers:", "    - name: side", "      image: busybox", "      env:", ""));
        Cli.Result result = dryRun("--conf", "spark.kubernetes.driver.podTemplateFile=" + template,
                "--conf", "spark.kubernetes.executor.podTemplateFile=" + template);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("name: \"side\"").contains("spark-role: \"executor\"");
    }

    @Test
    void anOptionValueMayLookLikeAnOption() {
        Cli.Result result = dryRun("--driver-java-options", "-verbose:gc");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("spark.driver.extraJavaOptions=-verbose\\:gc");
    }

    @Test
    void aRepeatedOptionOverridesTheEarlierOneAsInSparkSubmit() {
        Cli.Result result = dryRun("--name", "first", "--name", "second");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("spark.app.name=second").doesNotContain("spark.app.name=first");
    }

    @ParameterizedTest
    @CsvSource({"submit, --help, --driver-java-options", "status, -h, SUBMISSION_ID", "list, --help, --all-namespaces",
            "expose, --help, --pod", "submit, --version, 4.1.1"})
    void everyCommandHasHelpAndVersion(String command, String option, String expected) {
        Cli.Result result = Cli.run(new OneShotFactory(), command, option);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(expected);
    }

    @Test
    void aPodTemplateThatIsAnotherKindIsRefused(@TempDir Path dir) throws Exception {
        Path service = Files.writeString(dir.resolve("svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: []\n");
        Cli.Result result = dryRun("--conf", "spark.kubernetes.driver.podTemplateFile=" + service);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("kspark: error: spark.kubernetes.driver.podTemplateFile: ").contains("a Service, not a Pod");
    }

    @Test
    void annotationKeysAreCheckedAsTheApiServerDoesLowerCased() {
        Cli.Result result = dryRun("--conf", "spark.kubernetes.driver.annotation.Example.com/Team=data");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Example.com/Team: \"data\"");
    }

    @Test
    void customExecutorStepsRunInSparksDriverSoTheSubmissionPassesThemOn() {
        Cli.Result result = dryRun("--conf", "spark.kubernetes.executor.pod.featureSteps=com.example.GpuStep");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("spark.kubernetes.executor.pod.featureSteps=com.example.GpuStep");
        assertThat(result.err()).contains("kspark: dry run: executor 1 is shown without spark.kubernetes.executor.pod.featureSteps (com.example.GpuStep)");
        // kspark builds the executors itself when it reconciles: it cannot run a Spark class.
        Cli.Result reconciled = dryRun("--conf", "spark.kubernetes.executor.pod.featureSteps=com.example.GpuStep",
                "--conf", "spark.kspark.reconciler=controller");
        assertThat(reconciled.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(reconciled.err()).contains("spark.kubernetes.executor.pod.featureSteps");
    }

    @Test
    void aSubmissionThatDoesNotWaitDoesNotCheckTheReportIntervalAsInSpark() {
        Cli.Result result = dryRun("--conf", "spark.kubernetes.submission.waitAppCompletion=false", "--conf", "spark.kubernetes.report.interval=0");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(dryRun("--conf", "spark.kubernetes.report.interval=0").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spark.kubernetes.submission.waitAppCompletion=maybe | spark.kubernetes.submission.waitAppCompletion",
            "spark.kubernetes.report.interval=abc                | spark.kubernetes.report.interval",
            "spark.kubernetes.driver.request.cores=-1            | spark.kubernetes.driver.request.cores",
            "spark.kubernetes.executor.request.cores=-500m       | spark.kubernetes.executor.request.cores",
            "spark.kubernetes.driver.annotation.bad key=v        | spark.kubernetes.driver.annotation.bad key",
            "spark.kubernetes.driver.service.annotation.a/b/c=v  | spark.kubernetes.driver.service.annotation.a/b/c",
            "spark.kubernetes.node.selector.bad key=v            | spark.kubernetes.node.selector.bad key",
            "spark.kubernetes.driver.node.selector.k=bad value   | spark.kubernetes.driver.node.selector.k",
            "spark.kubernetes.namespace=Bad_NS                   | spark.kubernetes.namespace",
            "spark.kubernetes.container.image=                   | spark.kubernetes.container.image",
            "spark.redaction.regex=(unclosed                      | spark.redaction.regex"})
    void badValuesExitTwoNamingTheKey(String conf, String key) {
        Cli.Result result = dryRun("--conf", conf);
        assertThat(result.exitCode()).as(result.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().lines().toList()).singleElement().satisfies(line -> assertThat(line).startsWith("kspark: error: ").contains(key));
        assertThat(result.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "status | default:../../api/v1/secrets | submission id",
            "kill   | a:b:c                        | submission id",
            "logs   | x?y=1                        | submission id",
            "status | Bad_NS:spark-pi-driver       | submission id"})
    void submissionIdsThatNoPodCouldHaveAreRefusedBeforeAnyRequest(String command, String id, String named) {
        Cli.Result result = Cli.run(new OneShotFactory(), command, id, "--master", CLOSED_PORT);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("kspark: error: " + named).contains(id);
    }

    @Test
    void serverCommandsAnswerBadArgumentsAndHelpBeforeStartingTheRuntime() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(KsparkMain.answerWithoutRuntime(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "controller", "--bogus")).hasValue(ExitCodes.USAGE);
        assertThat(err.toString().lines().toList()).singleElement().satisfies(line -> assertThat(line).contains("--bogus"));
        assertThat(KsparkMain.answerWithoutRuntime(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "sidecar", "--help")).hasValue(ExitCodes.OK);
        assertThat(out.toString()).contains("Usage: kspark sidecar");
        assertThat(KsparkMain.answerWithoutRuntime(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "controller", "--namespace", "spark-jobs")).isEmpty();
        assertThat(KsparkMain.answerWithoutRuntime(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "sidecar", "--driver-pod", "spark-pi-driver", "-n", "jobs", "--master", "k8s://https://10.0.0.1:6443")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "controller --master yarn                      | kspark: error: --master: 'yarn' is not a Kubernetes master URL",
            "controller -n Bad_Namespace                   | kspark: error: --namespace: 'Bad_Namespace' is not a Kubernetes namespace name",
            "sidecar --driver-pod Not/A/Pod -n jobs        | kspark: error: --driver-pod",
            "sidecar --driver-pod spark-pi-driver -n Bad!  | kspark: error: --namespace"})
    void serverCommandsAnswerBadValuesInOneLineBeforeStartingTheRuntime(String args, String error) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        assertThat(KsparkMain.answerWithoutRuntime(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                args.split(" +"))).hasValue(ExitCodes.USAGE);
        assertThat(err.toString().lines().toList()).singleElement().satisfies(line -> assertThat(line).startsWith(error));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void emptyPodAndNamespaceOptionsAreUsageErrors() {
        Cli.Result expose = Cli.run(new OneShotFactory(), "expose", "--pod", "", "--master", CLOSED_PORT);
        assertThat(expose.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(expose.err()).startsWith("kspark: error: --pod");
        Cli.Result list = Cli.run(new OneShotFactory(), "list", "-n", "", "--master", CLOSED_PORT);
        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err()).startsWith("kspark: error: --namespace");
    }
}
