package io.kspark.k8s.steps;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.ExecutorConf;
import io.kspark.k8s.ExecutorProfile;
import io.kspark.k8s.ExecutorSpecBuilder;
import io.kspark.testing.Confs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Executor sizes per resource profile, as Spark's ResourceProfile.getResourcesForClusterManager computes them. */
class ExecutorResourcesTest {

    /**
     * conf key=value pairs; the profile's requests name=amount (profile 1; empty: the default profile); expected
     * cores, heap, overhead, off-heap, PySpark memory (MiB).
     */
    @ParameterizedTest(name = "{0} / profile {1} -> {2} cores, {3}+{4}+{5}+{6} MiB")
    @CsvSource(delimiter = '|', value = {
            "                                                       |                      | 1 | 1024 | 384  | 0   | 0",
            "                                                       | memory=4096          | 1 | 4096 | 384  | 0   | 0",
            // the overhead stays the default profile's, computed from the default heap (10g -> 1024), not from 2048
            "spark.executor.memory=10g                              | memory=2048          | 1 | 2048 | 1024 | 0   | 0",
            "spark.executor.memoryOverhead=700m                     | memory=2048          | 1 | 2048 | 700  | 0   | 0",
            "                                                       | memoryOverhead=1000  | 1 | 1024 | 1000 | 0   | 0",
            "spark.executor.cores=2                                 | cores=6              | 6 | 1024 | 384  | 0   | 0",
            "spark.executor.cores=2                                 | memory=2048          | 2 | 2048 | 384  | 0   | 0",
            "                                                       | offHeap=512          | 1 | 1024 | 384  | 0   | 0",
            "spark.memory.offHeap.enabled=true,spark.memory.offHeap.size=1g | offHeap=512  | 1 | 1024 | 384  | 512 | 0",
            "spark.memory.offHeap.enabled=true,spark.memory.offHeap.size=1g | memory=2048  | 1 | 2048 | 384  | 1024 | 0",
            "                                                       | pyspark.memory=300   | 1 | 1024 | 384  | 0   | 0",
            "spark.kubernetes.resource.type=python                  | pyspark.memory=300   | 1 | 1024 | 384  | 0   | 300",
            "spark.kubernetes.resource.type=python,spark.executor.pyspark.memory=200m | memory=2048 | 1 | 2048 | 384 | 0 | 200"})
    void profilesReplaceWhatTheyAskForAndKeepTheDefaultProfilesRest(String settings, String requests, int cores, long heap,
                                                                      long overhead, long offHeap, long pyspark) {
        ExecutorResources resources = ExecutorResources.of(Confs.conf(pairs(settings)), profile(requests));
        assertThat(resources).extracting(ExecutorResources::cores, ExecutorResources::executorMemoryMiB, ExecutorResources::overheadMiB,
                ExecutorResources::offHeapMiB, ExecutorResources::pysparkMiB).containsExactly(cores, heap, overhead, offHeap, pyspark);
    }

    @Test
    void aProfileGetsOnlyItsOwnCustomResources() {
        var conf = Confs.conf("spark.executor.resource.fpga.amount", "2", "spark.executor.resource.fpga.vendor", "xilinx.com");
        assertThat(ExecutorResources.of(conf, ExecutorProfile.DEFAULT).deviceLimits()).containsOnly(Map.entry("xilinx.com/fpga", new Quantity("2")));
        ExecutorProfile gpus = new ExecutorProfile(3, Map.of("gpu", new ExecutorProfile.Request(2, "nvidia.com")));
        assertThat(ExecutorResources.of(conf, gpus).deviceLimits()).containsOnly(Map.entry("nvidia.com/gpu", new Quantity("2")));
        assertThat(ExecutorResources.of(conf, ExecutorProfile.withoutRequests(3)).deviceLimits()).isEmpty();
    }

    @Test
    void aCustomResourceWithoutVendorIsRefusedAsSparkDoes() {
        ExecutorProfile noVendor = new ExecutorProfile(2, Map.of("gpu", new ExecutorProfile.Request(1, "")));
        assertThatThrownBy(() -> ExecutorResources.of(Confs.conf(), noVendor)).isInstanceOf(UserInputException.class)
                .hasMessage("resource profile 2: resource gpu was requested, but vendor was not specified");
    }

    @Test
    void resourceNamesKubernetesWouldRefuseNameTheVendorKey() {
        var badVendor = Confs.conf("spark.executor.resource.gpu.amount", "1", "spark.executor.resource.gpu.vendor", "nv idia");
        assertThatThrownBy(() -> ExecutorResources.of(badVendor, ExecutorProfile.DEFAULT)).isInstanceOf(UserInputException.class)
                .hasMessage("spark.executor.resource.gpu.vendor: 'nv idia/gpu' is not a valid Kubernetes resource name"
                        + " (vendor domain '/' name, e.g. nvidia.com/gpu)");
        var badName = Confs.conf("spark.driver.resource.g p u.amount", "1", "spark.driver.resource.g p u.vendor", "nvidia.com");
        assertThatThrownBy(() -> ResourceRequests.limits(badName, "spark.driver.resource."))
                .hasMessageStartingWith("spark.driver.resource.g p u.vendor: 'nvidia.com/g p u' is not a valid Kubernetes resource name");
        ExecutorProfile profile = new ExecutorProfile(4, Map.of("gpu", new ExecutorProfile.Request(1, "Bad_Vendor")));
        assertThatThrownBy(() -> ExecutorResources.of(Confs.conf(), profile))
                .hasMessageStartingWith("resource profile 4: resource gpu vendor: 'Bad_Vendor/gpu' is not a valid");
        assertThat(ResourceRequests.limits(Confs.conf("spark.driver.resource.gpu.amount", "-1"), "spark.driver.resource."))
                .as("Spark drops requests that are not positive").isEmpty();
    }

    @Test
    void aProfilesExecutorPodIgnoresTheDefaultProfilesKubernetesCpuSettings() {
        var conf = Confs.conf("spark.kubernetes.executor.request.cores", "500m", "spark.kubernetes.executor.limit.cores", "2");
        ExecutorConf base = Confs.executor(conf, "5");
        ExecutorProfile profile = new ExecutorProfile(1, Map.of("cores", new ExecutorProfile.Request(3, ""),
                "gpu", new ExecutorProfile.Request(1, "nvidia.com")));
        Container container = ExecutorSpecBuilder.build(new ExecutorConf(base.context(), "5", profile)).pod().getSpec().getContainers().get(0);

        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("3")).containsEntry("memory", new Quantity("1408Mi"));
        assertThat(container.getResources().getLimits()).containsOnlyKeys("memory", "nvidia.com/gpu");
        assertThat(Confs.envValue(container, "SPARK_EXECUTOR_CORES")).isEqualTo("3");
        assertThat(Confs.envValue(container, "SPARK_RESOURCE_PROFILE_ID")).isEqualTo("1");
        Container byDefault = ExecutorSpecBuilder.build(base).pod().getSpec().getContainers().get(0);
        assertThat(byDefault.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
        assertThat(byDefault.getResources().getLimits()).containsEntry("cpu", new Quantity("2"));
    }

    private static String[] pairs(String settings) {
        return settings == null ? new String[0] : settings.split("[,=]");
    }

    private static ExecutorProfile profile(String requests) {
        if (requests == null) {
            return ExecutorProfile.DEFAULT;
        }
        Map<String, ExecutorProfile.Request> parsed = new LinkedHashMap<>();
        for (String request : requests.split(",")) {
            String[] kv = request.split("=");
            parsed.put(kv[0], new ExecutorProfile.Request(Long.parseLong(kv[1]), ""));
        }
        return new ExecutorProfile(1, parsed);
    }
}
