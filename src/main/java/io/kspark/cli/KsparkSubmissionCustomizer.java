package io.kspark.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kspark.conf.CoreKeys;
import io.kspark.conf.KsparkKeys;
import io.kspark.conf.KubernetesKeys;
import io.kspark.conf.SparkConf;
import io.kspark.conf.UserInputException;
import io.kspark.k8s.DriverConf;
import io.kspark.k8s.ExecutorSpec;
import io.kspark.k8s.PodRole;
import io.kspark.k8s.steps.Ports;
import io.kspark.reconciler.model.KsparkMetadata;
import io.kspark.reconciler.plan.AppSettings;
import io.kspark.submit.DriverObjects;
import io.kspark.submit.PreparedSubmission;
import io.kspark.submit.SubmissionCustomizer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * kspark's additions to Spark's objects when {@code spark.kspark.reconciler} hands executor
 * allocation to kspark: the reconciler label, the initial executor target, and (sidecar mode) the
 * kspark sidecar in the driver pod.
 */
@ApplicationScoped
public class KsparkSubmissionCustomizer implements SubmissionCustomizer {

    public static final String SIDECAR_CONTAINER = "kspark-sidecar";
    /**
     * The user kspark's images run as (docker/Dockerfile.native and .jvm). Set on the sidecar itself, so a pod
     * template that runs the driver as another user (even root) does not change who runs kspark.
     */
    public static final long SIDECAR_USER = 1001;

    @Override
    public PreparedSubmission adjustConf(PreparedSubmission prepared) {
        SparkConf conf = prepared.conf();
        refuseKsparkKeys(conf);
        String mode = conf.get(KsparkKeys.RECONCILER);
        if (mode.equals("driver")) {
            return prepared;
        }
        String key = KsparkKeys.RECONCILER.key();
        if (conf.get(CoreKeys.AUTHENTICATE) && !CoreKeys.executorsReadSecretFile(conf)) {
            throw UserInputException.forKey(key, "'" + mode + "' cannot be combined with spark.authenticate=true unless executors read the"
                    + " secret from a file (" + CoreKeys.AUTH_SECRET_FILE + ", or .driver.file and .executor.file): a generated secret"
                    + " lives inside the driver; use spark.kspark.reconciler=driver");
        }
        if (!conf.get(KubernetesKeys.EXECUTOR_FEATURE_STEPS).isEmpty()) {
            throw UserInputException.forKey(KubernetesKeys.EXECUTOR_FEATURE_STEPS.key(),
                    "custom executor feature steps run inside the driver and cannot be used with spark.kspark.reconciler=" + mode);
        }
        String allocator = conf.get(KubernetesKeys.PODS_ALLOCATOR);
        if (!Set.of("direct", KsparkKeys.PLUGIN_ALLOCATOR_CLASS).contains(allocator)) {
            throw UserInputException.forKey(KubernetesKeys.PODS_ALLOCATOR.key(), "'" + allocator + "' cannot be combined with spark.kspark.reconciler="
                    + mode + " (kspark sets " + KsparkKeys.PLUGIN_ALLOCATOR_CLASS + ")");
        }
        if (mode.equals("sidecar")) {
            conf.getOptional(KsparkKeys.IMAGE).orElseThrow(() -> UserInputException.forKey(KsparkKeys.IMAGE.key(),
                    "is required with spark.kspark.reconciler=sidecar (the kspark image to run next to the driver)"));
            int port = conf.get(KsparkKeys.SIDECAR_PORT);
            if (Set.of(Ports.driverPort(conf), Ports.podBlockManagerPort(conf), Ports.uiPort(conf), Ports.connectPort(conf)).contains(port)) {
                throw UserInputException.forKey(KsparkKeys.SIDECAR_PORT.key(), "port " + port + " is used by the Spark driver");
            }
        }
        AppSettings.initialExecutors(conf);
        // kspark is this app's allocator: the allocation settings it would refuse later are refused now.
        AppSettings.from(conf);
        // Spark's driver hands allocation over through the kspark allocator (kspark plugin jar).
        SparkConf handedOver = conf.set(KubernetesKeys.PODS_ALLOCATOR.key(), KsparkKeys.PLUGIN_ALLOCATOR_CLASS);
        Optional<String> pluginJar = conf.getOptional(KsparkKeys.PLUGIN_JAR);
        if (pluginJar.isPresent()) {
            String jars = conf.get(CoreKeys.JARS.key(), "");
            String jar = io.kspark.submit.Uris.resolve(pluginJar.get());
            handedOver = handedOver.set(CoreKeys.JARS.key(), jars.isEmpty() ? jar : jar + "," + jars);
        }
        return prepared.withConf(handedOver, prepared.mainResource());
    }

    /**
     * kspark.io/ labels and annotations steer reconcilers (a driver-mode app labelled kspark.io/reconciler=controller
     * would get a second allocator; a bad kspark.io/last-executor-id stops allocation), so users cannot set them.
     */
    private static void refuseKsparkKeys(SparkConf conf) {
        for (PodRole role : PodRole.values()) {
            for (String prefix : List.of(role.labelPrefix(), role.annotationPrefix())) {
                conf.withPrefix(prefix).keySet().stream()
                        .filter(k -> k.toLowerCase(Locale.ROOT).startsWith(KsparkMetadata.KEY_PREFIX))
                        .findFirst()
                        .ifPresent(k -> {
                            throw UserInputException.forKey(prefix + k, "keys under " + KsparkMetadata.KEY_PREFIX + " are kspark's own; set "
                                    + KsparkKeys.RECONCILER.key() + " instead");
                        });
            }
        }
    }

    @Override
    public DriverObjects adjustObjects(DriverConf conf, DriverObjects objects) {
        SparkConf sparkConf = conf.conf();
        String mode = sparkConf.get(KsparkKeys.RECONCILER);
        if (mode.equals("driver")) {
            return objects;
        }
        PodBuilder driver = new PodBuilder(objects.driverPod()).editMetadata()
                .addToLabels(KsparkMetadata.RECONCILER_LABEL, mode)
                .addToAnnotations(KsparkMetadata.EXECUTOR_TARGET, Integer.toString(AppSettings.initialExecutors(sparkConf)))
                .endMetadata();
        if (mode.equals("sidecar")) {
            driver.editSpec().addToInitContainers(sidecar(sparkConf)).endSpec();
        }
        Pod pod = driver.build();
        return new DriverObjects(objects.namespace(), objects.appId(), pod, objects.ownedObjects(), objects.confConfigMap());
    }

    @Override
    public ExecutorSpec adjustExecutorPreview(SparkConf conf, ExecutorSpec executor) {
        String mode = conf.get(KsparkKeys.RECONCILER);
        if (mode.equals("driver")) {
            return executor;
        }
        return new ExecutorSpec(new PodBuilder(executor.pod()).editMetadata().addToLabels(KsparkMetadata.RECONCILER_LABEL, mode).endMetadata().build(),
                executor.resources());
    }

    /**
     * kspark as a native sidecar: an init container that keeps running next to the driver. It serves this app
     * alone, so it lists the app's pods as often as the app's spark.kubernetes.executor.apiPollingInterval says.
     */
    public static Container sidecar(SparkConf conf) {
        int port = conf.get(KsparkKeys.SIDECAR_PORT);
        List<EnvVar> pollInterval = conf.contains(KubernetesKeys.API_POLLING_INTERVAL)
                ? List.of(new EnvVar("KSPARK_RECONCILER_POLL_INTERVAL", Duration.ofMillis(conf.get(KubernetesKeys.API_POLLING_INTERVAL)).toString(), null))
                : List.of();
        return new ContainerBuilder()
                .withName(SIDECAR_CONTAINER)
                .withImage(conf.get(KsparkKeys.IMAGE))
                .withImagePullPolicy(conf.get(KubernetesKeys.IMAGE_PULL_POLICY))
                .withRestartPolicy("Always")
                .withArgs("sidecar")
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef("v1", "metadata.name").endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef("v1", "metadata.namespace").endValueFrom().endEnv()
                .addNewEnv().withName("QUARKUS_HTTP_PORT").withValue(Integer.toString(port)).endEnv()
                .addAllToEnv(pollInterval)
                .addNewPort().withName("kspark-http").withContainerPort(port).withProtocol("TCP").endPort()
                .withNewResources()
                    .addToRequests("cpu", new Quantity("50m")).addToRequests("memory", new Quantity("64Mi"))
                    .addToLimits("memory", new Quantity("256Mi"))
                .endResources()
                .withNewLivenessProbe().withNewHttpGet().withPath("/q/health/live").withNewPort(port).endHttpGet()
                    .withPeriodSeconds(10).endLivenessProbe()
                // What the restricted Pod Security Standard asks of a container.
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                    .withRunAsNonRoot(true).withRunAsUser(SIDECAR_USER).withRunAsGroup(SIDECAR_USER)
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .build();
    }
}
