package io.kspark.submit;

import io.kspark.conf.UserInputException;
import io.kspark.k8s.MainResource;
import io.kspark.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmissionPreparerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    /** Minimal valid SparkPi arguments; callers adjust fields through the builder. */
    static final class Args {
        String master = "k8s://https://api:6443";
        String deployMode = "cluster";
        String name;
        String mainClass = "org.apache.spark.examples.SparkPi";
        List<String> conf = new ArrayList<>(List.of("spark.kubernetes.container.image=img"));
        String propertiesFile;
        String jars;
        String files;
        String pyFiles;
        String archives;
        String packages;
        String driverMemory;
        String executorMemory;
        String executorCores;
        String numExecutors;
        String totalExecutorCores;
        String proxyUser;
        String principal;
        String primary = "local:///opt/spark/examples/jars/spark-examples.jar";
        List<String> appArgs = List.of("100");

        SubmitArguments build() {
            return new SubmitArguments(master, deployMode, name, mainClass, conf, propertiesFile, false, jars, files, pyFiles, archives,
                    packages, null, null, driverMemory, null, executorMemory, executorCores, numExecutors, totalExecutorCores, null, null, null,
                    proxyUser, principal, null, false, primary, appArgs);
        }
    }

    private PreparedSubmission prepare(Args args) {
        return prepare(args, TestEnvironment.empty());
    }

    private PreparedSubmission prepare(Args args, TestEnvironment env) {
        return new SubmissionPreparer(env, CLOCK).prepare(args.build());
    }

    @Test
    void sparkPiProducesSparkSubmitsClusterConf() {
        PreparedSubmission p = prepare(new Args());
        assertThat(p.conf().asMap())
                .containsEntry("spark.master", "k8s://https://api:6443")
                .containsEntry("spark.submit.deployMode", "cluster")
                .containsEntry("spark.app.name", "org.apache.spark.examples.SparkPi")
                .containsEntry("spark.jars", "local:///opt/spark/examples/jars/spark-examples.jar")
                .containsEntry("spark.submit.pyFiles", "")
                .containsEntry("spark.app.submitTime", "1700000000000")
                .containsEntry("spark.kubernetes.container.image", "img");
        assertThat(p.mainResource()).isEqualTo(new MainResource.Java("local:///opt/spark/examples/jars/spark-examples.jar"));
        assertThat(p.mainClass()).isEqualTo("org.apache.spark.examples.SparkPi");
        assertThat(p.appArgs()).containsExactly("100");
    }

    @Test
    void optionsMapToSparkKeysAndWinOverConf() {
        Args args = new Args();
        args.conf.add("spark.executor.memory=1g");
        args.executorMemory = "4g";
        args.executorCores = "3";
        args.numExecutors = "5";
        args.driverMemory = "2g";
        args.packages = "org.example:lib:1.0";
        args.name = "my app";
        PreparedSubmission p = prepare(args);
        assertThat(p.conf().asMap())
                .containsEntry("spark.executor.memory", "4g")
                .containsEntry("spark.executor.cores", "3")
                .containsEntry("spark.executor.instances", "5")
                .containsEntry("spark.driver.memory", "2g")
                .containsEntry("spark.jars.packages", "org.example:lib:1.0")
                .containsEntry("spark.app.name", "my app");
    }

    @Test
    void blanksAroundListEntriesAreTrimmedAsSparksGlobResolutionDoes() {
        Args args = new Args();
        args.conf.add("spark.files=local:///opt/a.txt, local:///opt/b.txt ,");
        args.conf.add("spark.archives= https://repo.example/x.zip");
        PreparedSubmission p = prepare(args);
        assertThat(p.conf().asMap()).containsEntry("spark.files", "local:///opt/a.txt,local:///opt/b.txt")
                .containsEntry("spark.archives", "https://repo.example/x.zip");
    }

    @Test
    void localGlobsInJarsAndFilesAreExpandedAsSparkSubmitDoes(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.jar"), "a");
        Path b = Files.writeString(dir.resolve("b.jar"), "b");
        Files.createDirectories(dir.resolve("conf"));
        Args args = new Args();
        args.jars = dir + "/*.jar";
        args.files = dir.resolve("conf").toString();
        PreparedSubmission p = prepare(args);
        assertThat(p.conf().asMap()).containsEntry("spark.jars", a.toFile().toURI() + "," + b.toFile().toURI()
                        + ",local:///opt/spark/examples/jars/spark-examples.jar")
                .containsEntry("spark.files", "");
        // --files is resolved to a URI first, as spark-submit resolves its options.
        assertThat(p.warnings()).contains("spark.files: " + dir.resolve("conf").toFile().toURI() + " is a directory, left out (spark-submit ships files only)");
    }

    @Test
    void withoutClassTheMainClassComesFromALocalJarsManifest(@TempDir Path dir) throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "com.example.Main");
        Path withMain = dir.resolve("app.jar");
        new java.util.jar.JarOutputStream(Files.newOutputStream(withMain), manifest).close();
        Path without = dir.resolve("plain.jar");
        new java.util.jar.JarOutputStream(Files.newOutputStream(without)).close();

        Args args = new Args();
        args.mainClass = null;
        args.primary = withMain.toString();
        PreparedSubmission p = prepare(args);
        assertThat(p.mainClass()).isEqualTo("com.example.Main");
        assertThat(p.conf().asMap()).as("named after the jar, as spark-submit names it before reading the manifest")
                .containsEntry("spark.app.name", "app.jar");

        args.primary = without.toString();
        assertThatThrownBy(() -> prepare(args)).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith("--class: no main class set in " + without.toRealPath());
        args.primary = "local:///opt/app.jar";
        assertThatThrownBy(() -> prepare(args)).isInstanceOf(UserInputException.class).hasMessageStartingWith("--class: the main class is required");
    }

    @Test
    void propertiesFileFillsOnlyMissingKeysAndNonSparkKeysAreDropped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.conf");
        Files.writeString(file, "spark.executor.cores=7\nspark.kubernetes.container.image=from-file\nnot.spark=x\n");
        Args args = new Args();
        args.propertiesFile = file.toString();
        PreparedSubmission p = prepare(args);
        assertThat(p.conf().asMap())
                .containsEntry("spark.executor.cores", "7")
                .containsEntry("spark.kubernetes.container.image", "img")
                .doesNotContainKey("not.spark");
        assertThat(p.warnings()).contains("Ignoring non-Spark config property: not.spark");
    }

    @Test
    void sparkDefaultsComeFromSparkConfDir(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("spark-defaults.conf"), "spark.kubernetes.namespace   team-a  \n");
        PreparedSubmission p = prepare(new Args(), TestEnvironment.empty().withEnv("SPARK_CONF_DIR", dir.toString()));
        assertThat(p.conf().asMap()).containsEntry("spark.kubernetes.namespace", "team-a");
    }

    @Test
    void pythonResourceSelectsPythonRunnerAndIsNotAddedToJars() {
        Args args = new Args();
        args.mainClass = null;
        args.primary = "local:///opt/app/main.py";
        args.pyFiles = "local:///opt/app/deps.zip";
        PreparedSubmission p = prepare(args);
        assertThat(p.mainResource()).isEqualTo(new MainResource.Python("local:///opt/app/main.py"));
        assertThat(p.mainClass()).isEqualTo("org.apache.spark.deploy.PythonRunner");
        assertThat(p.conf().asMap()).containsEntry("spark.submit.pyFiles", "local:///opt/app/deps.zip").doesNotContainKey("spark.jars");
    }

    @Test
    void rResourceSelectsRRunner() {
        Args args = new Args();
        args.mainClass = null;
        args.primary = "local:///opt/app/job.R";
        assertThat(prepare(args).mainClass()).isEqualTo("org.apache.spark.deploy.RRunner");
    }

    @Test
    void localPathsBecomeFileUris(@TempDir Path dir) {
        Args args = new Args();
        args.jars = dir.resolve("a.jar") + ",https://repo/b.jar";
        PreparedSubmission p = prepare(args);
        assertThat(p.conf().get("spark.jars", "")).startsWith("file:" + dir.resolve("a.jar")).contains(",https://repo/b.jar,local:///");
    }

    @Test
    void localPrimaryJarTravelsThroughSparkJarsAndArgsSayNoResource(@TempDir Path dir) {
        Args args = new Args();
        args.primary = dir.resolve("app.jar").toString();
        PreparedSubmission p = prepare(args);
        assertThat(p.mainResource().uri()).isEqualTo("spark-internal");
        assertThat(p.conf().get("spark.jars", "")).isEqualTo("file:" + dir.resolve("app.jar"));
    }

    @Test
    void driverHostIsDroppedInClusterMode() {
        Args args = new Args();
        args.conf.add("spark.driver.host=somewhere");
        assertThat(prepare(args).conf().contains("spark.driver.host")).isFalse();
    }

    @Test
    void badInputFailsWithOneLineNamingTheArgument() {
        Args noResource = new Args();
        noResource.primary = null;
        assertThatThrownBy(() -> prepare(noResource)).hasMessageContaining("primary resource");
        Args badMemory = new Args();
        badMemory.driverMemory = "lots";
        assertThatThrownBy(() -> prepare(badMemory)).hasMessageStartingWith("--driver-memory (spark.driver.memory): ");
        Args zeroExecutors = new Args();
        zeroExecutors.numExecutors = "0";
        assertThatThrownBy(() -> prepare(zeroExecutors)).hasMessageStartingWith("--num-executors (spark.executor.instances): ");
        Args badTotalCores = new Args();
        badTotalCores.totalExecutorCores = "abc";
        assertThatThrownBy(() -> prepare(badTotalCores))
                .hasMessage("--total-executor-cores (spark.cores.max): must be a positive number, but was 'abc'");
        Args badCoresMax = new Args();
        badCoresMax.conf.add("spark.cores.max=0");
        assertThatThrownBy(() -> prepare(badCoresMax)).hasMessageStartingWith("--total-executor-cores (spark.cores.max): ");
        Args badConf = new Args();
        badConf.conf.add("novalue");
        assertThatThrownBy(() -> prepare(badConf)).hasMessage("--conf: expected key=value, but got 'novalue'");
        Args emptyKey = new Args();
        emptyKey.conf.add("=value");
        assertThat(prepare(emptyKey).warnings()).as("spark-submit takes it, then drops it as not a Spark key")
                .contains("Ignoring non-Spark config property: ");
        Args noClass = new Args();
        noClass.mainClass = null;
        assertThatThrownBy(() -> prepare(noClass)).hasMessageStartingWith("--class: ");
        Args both = new Args();
        both.proxyUser = "a";
        both.principal = "b";
        assertThatThrownBy(() -> prepare(both)).hasMessageStartingWith("--proxy-user: ");
        Args shell = new Args();
        shell.primary = "pyspark-shell";
        assertThatThrownBy(() -> prepare(shell)).hasMessageContaining("shells");
    }

    @Test
    void clientModeIsExplainedNotAttempted() {
        Args client = new Args();
        client.deployMode = "client";
        assertThatThrownBy(() -> prepare(client)).isInstanceOf(ClientModeException.class).hasMessageStartingWith("--deploy-mode client: ");
        Args unset = new Args();
        unset.deployMode = null;
        assertThatThrownBy(() -> prepare(unset)).isInstanceOf(UserInputException.class).hasMessageStartingWith("--deploy-mode: not set");
        Args bogus = new Args();
        bogus.deployMode = "remote";
        assertThatThrownBy(() -> prepare(bogus)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("must be either \"client\" or \"cluster\"");
    }

    @Test
    void dynamicAllocationAllowsZeroExecutors() {
        Args args = new Args();
        args.conf.add("spark.dynamicAllocation.enabled=true");
        args.numExecutors = "0";
        assertThat(prepare(args).conf().asMap()).containsEntry("spark.executor.instances", "0");
    }
}
