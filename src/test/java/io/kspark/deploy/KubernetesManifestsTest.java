package io.kspark.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.kspark.deploy.Manifests.grants;
import static io.kspark.deploy.Manifests.kinds;
import static io.kspark.deploy.Manifests.ofType;
import static io.kspark.deploy.Manifests.render;
import static io.kspark.deploy.Manifests.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Renders k8s/ (all-namespaces install), k8s/overlays/single-namespace and k8s/spark-driver-rbac
 * with kustomize and checks what they grant and how the controller runs.
 */
class KubernetesManifestsTest {

    static final String ALL_NAMESPACES = "k8s";
    static final String SINGLE_NAMESPACE = "k8s/overlays/single-namespace";
    static final String SPARK_DRIVER_RBAC = "k8s/spark-driver-rbac";

    static final String SYSTEM_NAMESPACE = "kspark-system";
    static final String CONTROLLER = "kspark-controller";
    static final String IMAGE = "ghcr.io/kspark/kspark:0.1.0";

    /** Exactly the API calls kspark's controller (and sidecar) make in the namespaces they reconcile. */
    static final Map<String, Set<String>> CONTROLLER_GRANTS = Map.of(
            "/pods", Set.of("get", "list", "watch", "create", "delete", "patch"),
            "/configmaps", Set.of("get", "list", "create"),
            "/persistentvolumeclaims", Set.of("list", "create"),
            "/events", Set.of("create", "list"));

    /** Leader election, in the controller's own namespace only. */
    static final Map<String, Set<String>> LEADER_ELECTION_GRANTS = Map.of(
            "coordination.k8s.io/leases", Set.of("get", "create", "patch"));

    /** A Spark 4.1 driver plus the kspark sidecar and allocator plugin, in the driver's namespace. */
    static final Map<String, Set<String>> SPARK_DRIVER_GRANTS = Map.of(
            "/pods", Set.of("get", "list", "watch", "create", "delete", "deletecollection", "patch"),
            "/services", Set.of("get", "list", "create", "delete", "deletecollection", "patch"),
            "/configmaps", Set.of("get", "list", "create", "delete", "deletecollection"),
            "/persistentvolumeclaims", Set.of("get", "list", "create", "delete", "deletecollection"),
            "/events", Set.of("create", "list"));

    // ---------------------------------------------------------------------------------------------
    // Every rendering

    @ParameterizedTest
    @ValueSource(strings = {ALL_NAMESPACES, SINGLE_NAMESPACE, SPARK_DRIVER_RBAC})
    void rbacRulesHaveNoWildcardsAndNeverMentionSecrets(String dir) {
        List<PolicyRule> rules = allRules(render(dir));
        assertThat(rules).as("%s renders RBAC rules", dir).isNotEmpty();
        for (PolicyRule rule : rules) {
            assertThat(rule.getApiGroups()).as("%s: apiGroups of %s", dir, rule).isNotEmpty().noneMatch(s -> s.contains("*"));
            assertThat(rule.getResources()).as("%s: resources of %s", dir, rule).isNotEmpty().noneMatch(s -> s.contains("*"));
            assertThat(rule.getVerbs()).as("%s: verbs of %s", dir, rule).isNotEmpty().noneMatch(s -> s.contains("*"));
            assertThat(rule.getResourceNames()).as("%s: resourceNames of %s", dir, rule).noneMatch(s -> s.contains("*"));
            assertThat(rule.getNonResourceURLs()).as("%s: nonResourceURLs of %s", dir, rule).isNullOrEmpty();
            assertThat(rule.getResources()).as("%s: resources of %s", dir, rule)
                    .noneMatch(r -> r.equals("secrets") || r.startsWith("secrets/"));
        }
        assertThat(ofType(render(dir), ClusterRole.class)).as("%s: aggregated ClusterRoles", dir)
                .allMatch(r -> r.getAggregationRule() == null);
    }

    @ParameterizedTest
    @ValueSource(strings = {ALL_NAMESPACES, SINGLE_NAMESPACE, SPARK_DRIVER_RBAC})
    void bindingsOnlyReferToRolesDefinedHere(String dir) {
        List<HasMetadata> objects = render(dir);
        for (RoleBinding binding : ofType(objects, RoleBinding.class)) {
            RoleRef ref = binding.getRoleRef();
            assertThat(ref.getKind()).as("%s: RoleBinding %s binds a Role (not a built-in ClusterRole)", dir, binding.getMetadata().getName())
                    .isEqualTo("Role");
            assertThat(ofType(objects, Role.class))
                    .as("%s: RoleBinding %s refers to a Role defined in its namespace", dir, binding.getMetadata().getName())
                    .anyMatch(r -> r.getMetadata().getName().equals(ref.getName())
                            && r.getMetadata().getNamespace().equals(binding.getMetadata().getNamespace()));
        }
        for (ClusterRoleBinding binding : ofType(objects, ClusterRoleBinding.class)) {
            assertThat(ofType(objects, ClusterRole.class)).as("%s: ClusterRoleBinding %s refers to a ClusterRole defined here", dir,
                    binding.getMetadata().getName()).anyMatch(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {ALL_NAMESPACES, SINGLE_NAMESPACE, SPARK_DRIVER_RBAC})
    void leasesAreOnlyGrantedByARoleInTheControllersNamespace(String dir) {
        List<HasMetadata> objects = render(dir);
        for (ClusterRole role : ofType(objects, ClusterRole.class)) {
            assertThat(role.getRules()).as("%s: ClusterRole %s", dir, role.getMetadata().getName())
                    .noneMatch(r -> r.getApiGroups().contains("coordination.k8s.io") || r.getResources().contains("leases"));
        }
        for (Role role : ofType(objects, Role.class)) {
            boolean leases = role.getRules().stream()
                    .anyMatch(r -> r.getApiGroups().contains("coordination.k8s.io") || r.getResources().contains("leases"));
            if (leases) {
                assertThat(role.getMetadata().getNamespace()).as("%s: Role %s grants leases", dir, role.getMetadata().getName())
                        .isEqualTo(SYSTEM_NAMESPACE);
                assertThat(grants(role.getRules())).as("%s: Role %s", dir, role.getMetadata().getName()).isEqualTo(LEADER_ELECTION_GRANTS);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class AllNamespaces {

        final List<HasMetadata> objects = render(ALL_NAMESPACES);

        @Test
        void rendersTheWholeInstall() {
            assertThat(kinds(objects)).containsExactlyInAnyOrder("Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding",
                    "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget");
            assertThat(single(objects, Namespace.class, SYSTEM_NAMESPACE).getMetadata().getLabels())
                    .contains(entry("pod-security.kubernetes.io/enforce", "restricted"));
            single(objects, ServiceAccount.class, CONTROLLER);
            single(objects, Service.class, CONTROLLER);
            single(objects, Deployment.class, CONTROLLER);
            for (HasMetadata object : objects) {
                boolean clusterScoped = object instanceof Namespace || object instanceof ClusterRole || object instanceof ClusterRoleBinding;
                assertThat(object.getMetadata().getNamespace()).as("namespace of %s %s", object.getKind(), object.getMetadata().getName())
                        .isEqualTo(clusterScoped ? null : SYSTEM_NAMESPACE);
            }
        }

        @Test
        void clusterRoleGrantsExactlyTheControllersApiCalls() {
            ClusterRole role = single(objects, ClusterRole.class, CONTROLLER);
            assertThat(grants(role.getRules())).isEqualTo(CONTROLLER_GRANTS);
            assertThat(ofType(objects, ClusterRole.class)).hasSize(1);

            ClusterRoleBinding binding = single(objects, ClusterRoleBinding.class, CONTROLLER);
            assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
            assertThat(binding.getRoleRef().getName()).isEqualTo(CONTROLLER);
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertIsControllerServiceAccount(s));
        }

        @Test
        void leaderElectionRoleIsBoundToTheControllerInItsNamespace() {
            assertLeaderElectionRbac(objects);
        }

        @Test
        void deploymentRunsTwoHardenedReplicasOfTheController() {
            Deployment deployment = single(objects, Deployment.class, CONTROLLER);
            assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
            assertThat(deployment.getSpec().getSelector().getMatchLabels()).isNotEmpty();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName()).isEqualTo(CONTROLLER);
            assertThat(pod.getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
            assertThat(pod.getInitContainers()).isNullOrEmpty();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getSecurityContext().getRunAsGroup()).isPositive();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

            Container container = controllerContainer(deployment);
            assertThat(container.getImage()).isEqualTo(IMAGE);
            assertThat(container.getCommand()).as("the image's entrypoint is kspark").isNullOrEmpty();
            assertThat(container.getArgs()).containsExactly("controller");

            assertThat(container.getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getName()).isEqualTo("http");
                assertThat(port.getContainerPort()).isEqualTo(8080);
            });
            assertThat(env(container)).contains(entry("QUARKUS_HTTP_PORT", "8080"));
            assertThat(fieldRefs(container)).containsEntry("POD_NAME", "metadata.name").containsEntry("POD_NAMESPACE", "metadata.namespace");

            assertHttpProbe(container.getLivenessProbe(), "/q/health/live");
            assertHttpProbe(container.getReadinessProbe(), "/q/health/ready");
            if (container.getStartupProbe() != null) {
                assertHttpProbe(container.getStartupProbe(), "/q/health/live");
            }

            var security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();
            assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
            if (security.getRunAsUser() != null) {
                assertThat(security.getRunAsUser()).isPositive();
            }

            Map<String, Quantity> requests = container.getResources().getRequests();
            assertThat(requests).containsKeys("cpu", "memory");
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertThat(limits).containsKey("memory");
            assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                    .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));

            // A writable /tmp on the read-only root file system.
            assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
                assertThat(mount.getMountPath()).isEqualTo("/tmp");
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        }

        @Test
        void metricsServiceTargetsTheControllerPodsWithScrapeAnnotations() {
            Service service = single(objects, Service.class, CONTROLLER);
            Deployment deployment = single(objects, Deployment.class, CONTROLLER);
            assertThat(service.getSpec().getSelector()).isNotEmpty();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getPort()).isEqualTo(8080);
                assertThat(port.getTargetPort()).isEqualTo(new IntOrString("http"));
            });
            assertThat(service.getMetadata().getAnnotations()).contains(
                    entry("prometheus.io/scrape", "true"),
                    entry("prometheus.io/path", "/q/metrics"),
                    entry("prometheus.io/port", String.valueOf(controllerContainer(deployment).getPorts().get(0).getContainerPort())));
        }

        @Test
        void disruptionBudgetKeepsOneReplica() {
            PodDisruptionBudget pdb = single(objects, PodDisruptionBudget.class, CONTROLLER);
            Deployment deployment = single(objects, Deployment.class, CONTROLLER);
            assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
            assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class SingleNamespace {

        final List<HasMetadata> objects = render(SINGLE_NAMESPACE);

        @Test
        void hasNoClusterWidePermissions() {
            assertThat(kinds(objects)).doesNotContain("ClusterRole", "ClusterRoleBinding")
                    .contains("Namespace", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service");
        }

        @Test
        void controllerWatchesOnlyTheNamespacesItHasRolesIn() {
            Deployment deployment = single(objects, Deployment.class, CONTROLLER);
            List<String> args = controllerContainer(deployment).getArgs();
            assertThat(args).containsExactly("controller", "--namespace", "spark-jobs");

            Set<String> watched = namespaceArgs(args);
            Set<String> granted = ofType(objects, Role.class).stream()
                    .filter(r -> !r.getMetadata().getNamespace().equals(SYSTEM_NAMESPACE))
                    .map(r -> r.getMetadata().getNamespace()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(granted).isEqualTo(watched);

            for (String namespace : watched) {
                List<Role> roles = ofType(objects, Role.class).stream()
                        .filter(r -> r.getMetadata().getNamespace().equals(namespace)).toList();
                assertThat(roles).singleElement().satisfies(role -> {
                    assertThat(grants(role.getRules())).isEqualTo(CONTROLLER_GRANTS);
                    RoleBinding binding = ofType(objects, RoleBinding.class).stream()
                            .filter(b -> b.getMetadata().getNamespace().equals(namespace)).findFirst().orElseThrow();
                    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
                    assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertIsControllerServiceAccount(s));
                });
            }
        }

        @Test
        void keepsLeaderElectionAndTheRestOfTheBase() {
            assertLeaderElectionRbac(objects);
            List<HasMetadata> base = render(ALL_NAMESPACES);
            Deployment overlay = single(objects, Deployment.class, CONTROLLER);
            Deployment original = single(base, Deployment.class, CONTROLLER);
            // Only the arguments differ.
            Container expected = controllerContainer(original);
            Container actual = controllerContainer(overlay);
            assertThat(actual.getImage()).isEqualTo(expected.getImage());
            assertThat(actual.getSecurityContext()).isEqualTo(expected.getSecurityContext());
            assertThat(actual.getEnv()).isEqualTo(expected.getEnv());
            assertThat(overlay.getSpec().getReplicas()).isEqualTo(original.getSpec().getReplicas());
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Nested
    class SparkDriverRbac {

        final List<HasMetadata> objects = render(SPARK_DRIVER_RBAC);

        @Test
        void isANamespacedServiceAccountWithItsRole() {
            assertThat(kinds(objects)).containsExactlyInAnyOrder("ServiceAccount", "Role", "RoleBinding");
            ServiceAccount account = single(objects, ServiceAccount.class, "spark-driver");
            String namespace = account.getMetadata().getNamespace();
            assertThat(namespace).isEqualTo("spark-jobs");
            assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(namespace));

            RoleBinding binding = single(objects, RoleBinding.class, "spark-driver");
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getRoleRef().getName()).isEqualTo(single(objects, Role.class, "spark-driver").getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo("spark-driver");
                assertThat(s.getNamespace()).isEqualTo(namespace);
            });
        }

        @Test
        void roleGrantsExactlyWhatSparkDriversAndTheSidecarNeed() {
            Map<String, Set<String>> granted = grants(single(objects, Role.class, "spark-driver").getRules());
            assertThat(granted).isEqualTo(SPARK_DRIVER_GRANTS);
            // The sidecar makes the controller's calls with the driver's service account.
            CONTROLLER_GRANTS.forEach((resource, verbs) -> assertThat(granted.get(resource)).as(resource).containsAll(verbs));
        }
    }

    // ---------------------------------------------------------------------------------------------

    static List<PolicyRule> allRules(List<HasMetadata> objects) {
        List<PolicyRule> rules = new ArrayList<>();
        ofType(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
        ofType(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
        return rules;
    }

    static void assertLeaderElectionRbac(List<HasMetadata> objects) {
        List<Role> leaseRoles = ofType(objects, Role.class).stream()
                .filter(r -> grants(r.getRules()).keySet().stream().anyMatch(k -> k.startsWith("coordination.k8s.io/"))).toList();
        assertThat(leaseRoles).singleElement().satisfies(role -> {
            assertThat(role.getMetadata().getNamespace()).isEqualTo(SYSTEM_NAMESPACE);
            assertThat(grants(role.getRules())).isEqualTo(LEADER_ELECTION_GRANTS);
            List<RoleBinding> bindings = ofType(objects, RoleBinding.class).stream()
                    .filter(b -> b.getMetadata().getNamespace().equals(SYSTEM_NAMESPACE)
                            && b.getRoleRef().getName().equals(role.getMetadata().getName())).toList();
            assertThat(bindings).singleElement().satisfies(b -> {
                assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
                assertThat(b.getSubjects()).singleElement().satisfies(s -> assertIsControllerServiceAccount(s));
            });
        });
    }

    static void assertIsControllerServiceAccount(Subject subject) {
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(CONTROLLER);
        assertThat(subject.getNamespace()).isEqualTo(SYSTEM_NAMESPACE);
    }

    static Container controllerContainer(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet()).as("HTTP probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        IntOrString port = probe.getHttpGet().getPort();
        assertThat(port).as("port of the probe on %s", path).isIn(new IntOrString("http"), new IntOrString(8080));
    }

    static Map<String, String> env(Container container) {
        return container.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static Map<String, String> fieldRefs(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
    }

    /** The values of every {@code --namespace}/{@code -n} option in a kspark command line. */
    static Set<String> namespaceArgs(List<String> args) {
        Set<String> namespaces = new TreeSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if ((arg.equals("--namespace") || arg.equals("-n")) && i + 1 < args.size()) {
                namespaces.add(args.get(++i));
            } else if (arg.startsWith("--namespace=")) {
                namespaces.add(arg.substring("--namespace=".length()));
            }
        }
        return namespaces;
    }
}
