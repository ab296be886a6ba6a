package io.kspark.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kspark.apps.DriverWatcher;
import io.kspark.apps.WaitOutcome;
import io.kspark.client.CoreApi;
import io.kspark.client.KubernetesApiException;
import io.kspark.client.KubernetesClients;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.Redaction;
import io.kspark.conf.SparkConf;
import io.kspark.submit.ClientModeException;
import io.kspark.submit.DryRunRenderer;
import io.kspark.submit.ExecutorPreview;
import io.kspark.submit.FileUploader;
import io.kspark.submit.SubmissionCustomizer;
import io.kspark.submit.SubmissionPlan;
import io.kspark.submit.SubmissionPlanner;
import io.kspark.submit.SubmitArguments;
import io.kspark.submit.Submitter;
import io.kspark.submit.s3.S3Uploader;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kspark submit}: spark-submit for Kubernetes cluster mode, with the same arguments. */
@Command(name = "submit",
        description = {"Submit a Spark application to Kubernetes, exactly as spark-submit --deploy-mode cluster does.",
                "Options are spark-submit's; the first argument that is not an option is the application jar, .py or .R file,",
                "and everything after it is passed to the application."},
        sortOptions = false,
        usageHelpAutoWidth = true)
public class SubmitCommand implements Callable<Integer>, TalksToApiServer {

    @Spec
    CommandSpec spec;

    private final SubmitEnvironment environment;
    private final SubmissionCustomizer customizer;
    private String serverTried;
    /** What --status and --kill talk to the cluster with (spark-submit's spelling of kspark status and kill). */
    private ClusterOptions legacyCluster;

    @Inject
    public SubmitCommand(SubmitEnvironment environment, SubmissionCustomizer customizer) {
        this.environment = environment;
        this.customizer = customizer;
    }

    @Option(names = "--master", paramLabel = "k8s://URL", description = "Kubernetes API server: k8s://https://host:port (k8s://host:port means https).")
    String master;
    @Option(names = "--deploy-mode", paramLabel = "MODE", description = "cluster (the driver runs in a pod). client is not possible without a local JVM.")
    String deployMode;
    @Option(names = "--name", description = "Application name.")
    String name;
    @Option(names = "--class", paramLabel = "CLASS", description = "Main class of a JVM application.")
    String mainClass;
    @Option(names = {"--conf", "-c"}, paramLabel = "KEY=VALUE", description = "Spark configuration property (repeatable).")
    List<String> conf = new ArrayList<>();
    @Option(names = "--properties-file", paramLabel = "FILE", description = "File with extra properties (default: $SPARK_CONF_DIR/spark-defaults.conf).")
    String propertiesFile;
    @Option(names = "--load-spark-defaults", description = "Also load spark-defaults.conf when --properties-file is given.")
    boolean loadSparkDefaults;
    @Option(names = "--jars", paramLabel = "JARS", description = "Comma-separated jars for the driver and executor class paths.")
    String jars;
    @Option(names = "--files", paramLabel = "FILES", description = "Comma-separated files to place in each executor's working directory.")
    String files;
    @Option(names = "--py-files", paramLabel = "PY_FILES", description = "Comma-separated .zip, .egg or .py files for the PYTHONPATH.")
    String pyFiles;
    @Option(names = "--archives", paramLabel = "ARCHIVES", description = "Comma-separated archives to extract in each executor's working directory.")
    String archives;
    @Option(names = "--packages", paramLabel = "COORDS", description = "Maven coordinates, resolved by the driver (spark.jars.packages).")
    String packages;
    @Option(names = "--repositories", paramLabel = "URLS", description = "Extra repositories for --packages (spark.jars.repositories).")
    String repositories;
    @Option(names = "--exclude-packages", paramLabel = "COORDS", description = "groupId:artifactId to exclude from --packages (spark.jars.excludes).")
    String excludePackages;
    @Option(names = "--driver-memory", paramLabel = "MEM", description = "Driver memory (e.g. 1000M, 2G). Default 1024M.")
    String driverMemory;
    @Option(names = "--driver-cores", paramLabel = "NUM", description = "Driver cores. Default 1.")
    String driverCores;
    @Option(names = "--executor-memory", paramLabel = "MEM", description = "Memory per executor. Default 1G.")
    String executorMemory;
    @Option(names = "--executor-cores", paramLabel = "NUM", description = "Cores per executor. Default 1.")
    String executorCores;
    @Option(names = "--num-executors", paramLabel = "NUM", description = "Number of executors (spark.executor.instances).")
    String numExecutors;
    @Option(names = "--driver-java-options", paramLabel = "OPTS", description = "Extra JVM options for the driver.")
    String driverJavaOptions;
    @Option(names = "--driver-class-path", paramLabel = "PATH", description = "Extra class path entries for the driver.")
    String driverClassPath;
    @Option(names = "--driver-library-path", paramLabel = "PATH", description = "Extra library path for the driver.")
    String driverLibraryPath;
    @Option(names = "--proxy-user", paramLabel = "NAME", description = "User to impersonate in the driver.")
    String proxyUser;
    @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Kerberos principal (with --keytab).")
    String principal;
    @Option(names = "--keytab", paramLabel = "KEYTAB", description = "Kerberos keytab file, shipped to the driver in a Secret.")
    String keytab;
    @Option(names = {"--verbose", "-v"}, description = "Print the resolved configuration (secrets redacted).")
    boolean verbose;
    @Option(names = "--total-executor-cores", hidden = true, description = "Standalone only; checked, then ignored on Kubernetes, as by spark-submit.")
    String totalExecutorCores;
    @Option(names = "--queue", hidden = true, description = "YARN only; ignored on Kubernetes, as by spark-submit.")
    String queue;
    @Option(names = "--supervise", hidden = true, description = "Standalone only; ignored on Kubernetes, as by spark-submit.")
    boolean supervise;
    @Option(names = "--kill", paramLabel = "SUBMISSION_ID", description = "spark-submit's form of 'kspark kill'.")
    String kill;
    @Option(names = "--status", paramLabel = "SUBMISSION_ID", description = "spark-submit's form of 'kspark status'.")
    String status;
    @Option(names = "--dry-run", description = "Print every object the submission would create, plus executor 1, and contact no API server.")
    boolean dryRun;
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "Dry-run output format: ${COMPLETION-CANDIDATES}.")
    DryRunRenderer.Format output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "APP_RESOURCE", description = "Application jar, .py or .R file (local:// for files in the image).")
    String primaryResource;
    @Parameters(index = "1..*", paramLabel = "APP_ARGS", description = "Arguments passed to the application.")
    List<String> appArgs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (kill != null || status != null) {
            legacyCluster = ClusterOptions.of(master, conf, propertiesFile);
            legacyCluster.env = environment.env();
            return AppCommands.legacyAction(spec, legacyCluster, kill, status, dryRun);
        }
        SubmissionPlanner planner = new SubmissionPlanner(environment.env(), environment.ids(), environment.clock(), customizer);
        SubmissionPlan plan;
        try {
            plan = planner.plan(arguments());
        } catch (ClientModeException clientMode) {
            out.print(ClientModeException.EXPLANATION);
            out.flush();
            return ExitCodes.OK;
        }
        plan.prepared().warnings().forEach(w -> err.println("kspark: warning: " + w));
        Redaction redaction = Redaction.of(plan.prepared().conf()); // also checks spark.redaction.regex before anything is created
        if (verbose) {
            err.println("Resolved configuration:");
            redaction.redactAll(plan.prepared().conf().asMap()).forEach((k, v) -> err.println("  " + k + "=" + v));
        }
        // Read before anything is created: a bad value must not turn up after the driver exists. Like Spark, only a
        // submission that waits uses (and so checks) the report interval.
        boolean waitForCompletion = plan.prepared().conf().get(KubernetesKeys.WAIT_FOR_APP_COMPLETION);
        Duration interval = waitForCompletion ? Duration.ofMillis(plan.prepared().conf().get(KubernetesKeys.REPORT_INTERVAL)) : Duration.ZERO;
        // Built on every submission: a bad executor setting (spark.kubernetes.executor.*) fails now, with nothing created,
        // not later when the driver asks for its first executors.
        var executorOne = customizer.adjustExecutorPreview(plan.prepared().conf(),
                ExecutorPreview.executorOne(plan.objects(), environment.ids()));
        FileUploader uploader = new FileUploader(new S3Uploader(plan.prepared().conf(), environment.env(), environment.clock(),
                Duration.ofMillis(200)));
        uploader.check(plan.uploads());
        if (dryRun) {
            out.print(DryRunRenderer.render(DryRunRenderer.list(plan.objects(), executorOne, redaction), output));
            out.flush();
            ExecutorPreview.caveat(plan.prepared().conf()).ifPresent(caveat -> err.println("kspark: dry run: " + caveat));
            plan.uploads().uploads().forEach(u -> err.println("kspark: dry run: would upload " + u.localPath() + " to " + u.targetUri()));
            return ExitCodes.OK;
        }
        SparkConf sparkConf = plan.prepared().conf();
        uploader.upload(plan.uploads());
        Config clientConfig = KubernetesClients.submissionConfig(Optional.of(plan.prepared().master().apiServer()),
                Optional.of(plan.objects().namespace()), sparkConf);
        serverTried = clientConfig.getMasterUrl();
        // Creating needs a few plain requests; only following the driver needs a full client, built once there is one.
        try (CoreApi api = CoreApi.connect(clientConfig)) {
            new Submitter(api).create(plan.objects());
        }
        String appName = sparkConf.get("spark.app.name", "spark");
        out.println("Submitted application " + appName + " with application ID " + plan.objects().appId()
                + " and submission ID " + plan.objects().submissionId());
        out.flush();
        if (!waitForCompletion) {
            return ExitCodes.OK;
        }
        try (KubernetesClient client = KubernetesClients.forSubmission(clientConfig)) {
            out.println("Waiting for application " + appName + " to finish (Ctrl-C stops waiting; the application keeps running)...");
            out.flush();
            WaitOutcome outcome;
            try {
                outcome = new DriverWatcher(client, out, interval)
                        .waitFor(plan.objects().namespace(), plan.objects().driverPodName(), plan.objects().appId());
            } catch (KubernetesApiException e) {
                throw new KubernetesApiException("application " + plan.objects().submissionId()
                        + " was submitted and keeps running, but kspark cannot follow it (see 'kspark status')", e);
            }
            return WaitOutcomes.report(outcome, appName, plan.objects().appId(), plan.objects().submissionId(), out, err);
        }
    }

    @Override
    public Optional<String> apiServerTried() {
        return Optional.ofNullable(serverTried).or(() -> Optional.ofNullable(legacyCluster).flatMap(ClusterOptions::serverTried));
    }

    /** The parsed options as the submission pipeline takes them (public for tests that parse without executing). */
    public SubmitArguments arguments() {
        return new SubmitArguments(master, deployMode, name, mainClass, conf, propertiesFile, loadSparkDefaults, jars, files, pyFiles,
                archives, packages, repositories, excludePackages, driverMemory, driverCores, executorMemory, executorCores,
                numExecutors, totalExecutorCores, driverJavaOptions, driverClassPath, driverLibraryPath, proxyUser, principal, keytab, verbose,
                primaryResource, appArgs);
    }
}
