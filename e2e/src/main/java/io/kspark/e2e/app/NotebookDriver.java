package io.kspark.e2e.app;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What a notebook does with Spark in client mode, one command per stdin line, so the e2e test can act between steps.
 * Its stdout lines are the protocol: {@code READY <app id>}, {@code EXECUTOR_ADDED <id>}, {@code EXECUTOR_REMOVED <id>},
 * {@code Pi is roughly <pi>}, {@code JOB_DONE <count>}, {@code STOPPED}. Spark's own logging goes to stderr.
 *
 * <ul>
 *   <li>{@code pi <slices>}: SparkPi;</li>
 *   <li>{@code gated <partitions> <file>}: a job whose tasks each wait until {@code file} exists (a backlog the test
 *       controls, for dynamic allocation);</li>
 *   <li>{@code profiled <partitions>}: a job whose one stage asks for executors of its own resource profile
 *       (stage-level scheduling: 1 core, 640 MiB heap), which needs dynamic allocation;</li>
 *   <li>{@code stop}: stops the SparkContext and exits.</li>
 * </ul>
 */
public final class NotebookDriver {

    private NotebookDriver() {
    }

    public static void main(String[] args) throws Exception {
        SparkContext sc = new SparkContext(new SparkConf());
        sc.addSparkListener(new SparkListener() {
            @Override
            public void onExecutorAdded(SparkListenerExecutorAdded added) {
                say("EXECUTOR_ADDED " + added.executorId());
            }

            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
                say("EXECUTOR_REMOVED " + removed.executorId());
            }
        });
        JavaSparkContext jsc = new JavaSparkContext(sc);
        say("READY " + sc.applicationId());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            String[] command = line.trim().split("\\s+");
            switch (command[0]) {
                case "pi" -> say("Pi is roughly " + SparkPi.estimate(jsc, Integer.parseInt(command[1])));
                case "gated" -> say("JOB_DONE " + gatedJob(jsc, Integer.parseInt(command[1]), command[2]));
                case "profiled" -> say("JOB_DONE " + profiledJob(jsc, Integer.parseInt(command[1])));
                case "stop" -> {
                    sc.stop();
                    say("STOPPED");
                    return;
                }
                default -> say("UNKNOWN " + line);
            }
        }
        sc.stop();
    }

    /** No shuffle, so that dynamic allocation may release the executors as soon as they are idle. */
    private static long gatedJob(JavaSparkContext jsc, int partitions, String gate) {
        List<Integer> items = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return jsc.parallelize(items, partitions).map(i -> Gate.await(gate, i)).count();
    }

    private static long profiledJob(JavaSparkContext jsc, int partitions) {
        ResourceProfile profile = new ResourceProfileBuilder()
                .require(new ExecutorResourceRequests().cores(1).memory("640m"))
                .require(new TaskResourceRequests().cpus(1))
                .build();
        say("PROFILE " + profile.id());
        List<Integer> items = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        return jsc.parallelize(items, partitions).withResources(profile).map(i -> i * 2).count();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
