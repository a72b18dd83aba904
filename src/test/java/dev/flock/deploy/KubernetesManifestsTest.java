package dev.flock.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Renders the kustomize overlays with {@code kubectl kustomize} (no cluster needed) and checks what a deployment of
 * Flock depends on: probes, limits, the drain period, secrets, topics, autoscaling and disruption budget. kubectl is a
 * requirement of the build (Debian package {@code kubectl}); when it is missing these tests fail, they do not skip.
 */
class KubernetesManifestsTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersEveryKind(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        assertThat(docs.stream().map(d -> (String) d.get("kind")).collect(Collectors.toSet()))
                .as("kinds rendered by overlay %s", overlay)
                .contains("Deployment", "Service", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                        "ConfigMap", "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentHasProbesOnTheHealthEndpoints(String overlay) {
        Map<String, Object> container = flockContainer(render(overlay));
        assertThat(str(container, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
        assertThat(str(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(str(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Object port = get(container, probe, "httpGet", "port");
            assertThat(port).as("%s port", probe).isIn("http", 8080);
        }
        assertThat(list(container, "ports")).anySatisfy(p -> assertThat(map(p).get("containerPort")).isEqualTo(8080));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentHasRequestsAndLimits(String overlay) {
        Map<String, Object> container = flockContainer(render(overlay));
        for (String kind : List.of("requests", "limits")) {
            assertThat(get(container, "resources", kind, "cpu")).as("resources.%s.cpu", kind).isNotNull();
            assertThat(get(container, "resources", kind, "memory")).as("resources.%s.memory", kind).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentDrainsWithinItsGracePeriod(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> podSpec = map(get(flockDeployment(docs), "spec", "template", "spec"));
        int grace = ((Number) podSpec.get("terminationGracePeriodSeconds")).intValue();
        assertThat(grace).as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(30);

        // preStop pause (endpoints leave the Service first) plus the application's drain must fit in the grace period.
        Map<String, Object> container = flockContainer(docs);
        Object preStop = get(container, "lifecycle", "preStop");
        assertThat(preStop).as("preStop hook").isNotNull();
        Object sleep = get(container, "lifecycle", "preStop", "sleep", "seconds");
        int preStopSeconds = sleep == null ? 0 : ((Number) sleep).intValue();
        String shutdown = configMap(docs).get("FLOCK_SHUTDOWN_TIMEOUT");
        assertThat(shutdown).as("FLOCK_SHUTDOWN_TIMEOUT in flock-config").matches("\\d+[Ss]");
        int drainSeconds = Integer.parseInt(shutdown.substring(0, shutdown.length() - 1));
        assertThat(preStopSeconds + drainSeconds).as("preStop + FLOCK_SHUTDOWN_TIMEOUT").isLessThan(grace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentRunsAsNonRootWithReadOnlyRoot(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> podSpec = map(get(flockDeployment(docs), "spec", "template", "spec"));
        assertThat(get(podSpec, "securityContext", "runAsNonRoot")).isEqualTo(true);
        Map<String, Object> container = flockContainer(docs);
        assertThat(get(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(get(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(container, "securityContext", "capabilities", "drop")).contains("ALL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentTakesItsEnvironmentFromConfigMapAndSecrets(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> container = flockContainer(docs);

        // The generated ConfigMap's name carries a content hash (flock-config-<hash>); the reference must match it.
        String configMapName = str(one(docs, "ConfigMap", n -> n.startsWith("flock-config")), "metadata", "name");
        assertThat(list(container, "envFrom")).as("envFrom")
                .anySatisfy(e -> assertThat(get(map(e), "configMapRef", "name")).isEqualTo(configMapName));

        Map<String, String[]> secretRefs = list(container, "env").stream().map(KubernetesManifestsTest::map)
                .filter(e -> get(e, "valueFrom", "secretKeyRef") != null)
                .collect(Collectors.toMap(e -> (String) e.get("name"),
                        e -> new String[] {str(e, "valueFrom", "secretKeyRef", "name"),
                                str(e, "valueFrom", "secretKeyRef", "key")}));
        assertThat(secretRefs.get("FLOCK_DB_USER")).containsExactly("flock-db-app", "username");
        assertThat(secretRefs.get("FLOCK_DB_PASSWORD")).containsExactly("flock-db-app", "password");
        assertThat(secretRefs.get("FLOCK_JWT_PRIVATE_KEY")).containsExactly("flock-jwt", "private.pem");
        assertThat(secretRefs.get("FLOCK_JWT_PUBLIC_KEY")).containsExactly("flock-jwt", "public.pem");

        Map<String, String> config = configMap(docs);
        assertThat(config.get("FLOCK_DB_URL")).isEqualTo("postgresql://flock-db-rw:5432/flock");
        assertThat(config.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("flock-kafka-kafka-bootstrap:9092");
        assertThat(config.get("KAFKA_CREATE_TOPICS")).isEqualTo("false");
        assertThat(config.get("FLOCK_TRUSTED_PROXIES")).isNotBlank().doesNotContainPattern("[A-Za-z]");
        assertThat(config).doesNotContainKeys("FLOCK_DB_PASSWORD", "FLOCK_JWT_PRIVATE_KEY", "FLOCK_JWT_PUBLIC_KEY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void serviceAndIngressCarryWebSocketsWithLongTimeouts(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> service = one(docs, "Service", "flock"::equals);
        Map<String, Object> podLabels = map(get(flockDeployment(docs), "spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(map(get(service, "spec", "selector")));

        Map<String, Object> ingress = one(docs, "Ingress", "flock"::equals);
        Map<String, Object> annotations = map(get(ingress, "metadata", "annotations"));
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            Object value = annotations.get("nginx.ingress.kubernetes.io/" + timeout);
            assertThat(value).as(timeout).isNotNull();
            assertThat(Integer.parseInt(value.toString())).as(timeout).isGreaterThanOrEqualTo(3600);
        }
        List<Object> rules = list(ingress, "spec", "rules");
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(list(map(rule), "http", "paths"))
                .allSatisfy(p -> assertThat(str(map(p), "backend", "service", "name")).isEqualTo("flock")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void ingressRoutesThePublicSurfaceAndNothingUnderQ(String overlay) throws IOException {
        Map<String, Object> ingress = one(render(overlay), "Ingress", "flock"::equals);
        Map<String, String> routed = new java.util.TreeMap<>();
        for (Object rule : list(ingress, "spec", "rules")) {
            for (Object p : list(map(rule), "http", "paths")) {
                routed.put(str(map(p), "path"), str(map(p), "pathType"));
            }
        }
        assertThat(routed).containsEntry("/api", "Prefix").containsEntry("/oauth", "Prefix")
                .containsEntry("/.well-known", "Prefix").containsEntry("/", "Exact").containsEntry("/asyncapi.yaml", "Exact");
        assertThat(routed.keySet()).noneMatch(path -> path.equals("/q") || path.startsWith("/q/"));
        assertThat(routed).doesNotContainEntry("/", "Prefix");
        // Every file of the page is reachable: files by their exact path, directories by prefix.
        Path page = PROJECT.resolve("src/main/resources/META-INF/resources");
        try (var files = Files.list(page)) {
            for (Path file : files.toList()) {
                String path = "/" + file.getFileName();
                assertThat(routed).as("the ingress routes %s", path)
                        .containsEntry(path, Files.isDirectory(file) ? "Prefix" : "Exact");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheIngressControllerAndTheScraperReachFlock(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> policy = one(docs, "NetworkPolicy", "flock"::equals);
        Map<String, Object> podLabels = map(get(flockDeployment(docs), "spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(map(get(policy, "spec", "podSelector", "matchLabels")));
        List<Object> from = list(map(list(policy, "spec", "ingress").get(0)), "from");
        assertThat(from).hasSize(2).allSatisfy(peer -> assertThat(map(peer)).containsOnlyKeys("namespaceSelector"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void autoscalerAndDisruptionBudgetTargetFlock(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> hpa = one(docs, "HorizontalPodAutoscaler", "flock"::equals);
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(str(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(str(hpa, "spec", "scaleTargetRef", "name")).isEqualTo("flock");
        assertThat(list(hpa, "spec", "metrics")).anySatisfy(m -> {
            assertThat(str(map(m), "resource", "name")).isEqualTo("cpu");
            assertThat(get(map(m), "resource", "target", "averageUtilization")).isEqualTo(70);
        });
        int min = ((Number) get(hpa, "spec", "minReplicas")).intValue();
        int max = ((Number) get(hpa, "spec", "maxReplicas")).intValue();
        assertThat(min).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(max);
        // Snowflake ids carry a 10-bit worker number, leased per pod: at most 1024 pods at once.
        assertThat(max).isLessThanOrEqualTo(1024);

        Map<String, Object> pdb = one(docs, "PodDisruptionBudget", "flock"::equals);
        assertThat(map(get(pdb, "spec", "selector", "matchLabels")))
                .containsAllEntriesOf(map(get(flockDeployment(docs), "spec", "selector", "matchLabels")));
        assertThat(get(pdb, "spec", "maxUnavailable") != null || get(pdb, "spec", "minAvailable") != null)
                .as("PDB sets maxUnavailable or minAvailable").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaTopicsHavePartitionsAndRetention(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Map<String, Object>> topics = docs.stream().filter(d -> "KafkaTopic".equals(d.get("kind")))
                .collect(Collectors.toMap(t -> {
                    Object topicName = get(t, "spec", "topicName");
                    return topicName != null ? topicName.toString() : str(t, "metadata", "name");
                }, t -> t));
        assertThat(topics).containsOnlyKeys("flock.tweets", "flock.tweets.dlq");

        assertTopic(topics.get("flock.tweets"), 8, 7L * 24 * 3600 * 1000);
        assertTopic(topics.get("flock.tweets.dlq"), 1, 30L * 24 * 3600 * 1000);

        String cluster = str(one(docs, "Kafka", n -> true), "metadata", "name");
        int brokers = ((Number) get(one(docs, "KafkaNodePool", n -> true), "spec", "replicas")).intValue();
        String replicationFactor = configMap(docs).get("KAFKA_REPLICATION_FACTOR");
        for (Map<String, Object> topic : topics.values()) {
            assertThat(get(topic, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(cluster);
            int replicas = ((Number) get(topic, "spec", "replicas")).intValue();
            int minIsr = ((Number) get(topic, "spec", "config", "min.insync.replicas")).intValue();
            assertThat(replicas).isLessThanOrEqualTo(brokers);
            assertThat(minIsr).isLessThanOrEqualTo(replicas);
            assertThat(String.valueOf(replicas)).isEqualTo(replicationFactor);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaAndPostgresClustersExist(String overlay) {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> kafka = one(docs, "Kafka", "flock-kafka"::equals);
        assertThat(kafka.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(get(kafka, "metadata", "annotations", "strimzi.io/kraft")).isEqualTo("enabled");
        assertThat(get(kafka, "metadata", "annotations", "strimzi.io/node-pools")).isEqualTo("enabled");
        assertThat(get(kafka, "spec", "entityOperator", "topicOperator")).as("topic operator").isNotNull();
        assertThat(list(kafka, "spec", "kafka", "listeners"))
                .anySatisfy(l -> assertThat(map(l).get("port")).isEqualTo(9092));

        Map<String, Object> pool = one(docs, "KafkaNodePool", n -> true);
        assertThat(get(pool, "metadata", "labels", "strimzi.io/cluster")).isEqualTo("flock-kafka");
        assertThat(list(pool, "spec", "roles")).containsExactlyInAnyOrder("controller", "broker");
        Map<String, Object> storage = map(get(pool, "spec", "storage"));
        boolean persistent = "persistent-claim".equals(storage.get("type"))
                || ("jbod".equals(storage.get("type")) && list(storage, "volumes").stream()
                        .anyMatch(v -> "persistent-claim".equals(map(v).get("type"))));
        assertThat(persistent).as("KafkaNodePool storage is persistent-claim").isTrue();

        Map<String, Object> db = one(docs, "Cluster", "flock-db"::equals);
        assertThat(db.get("apiVersion")).isEqualTo("postgresql.cnpg.io/v1");
        assertThat(str(db, "spec", "bootstrap", "initdb", "database")).isEqualTo("flock");
        // CloudNativePG names the application Secret <cluster>-app, for the initdb owner: the Secret Flock reads.
        assertThat(str(db, "spec", "bootstrap", "initdb", "owner")).isEqualTo("flock");
        assertThat(((Number) get(db, "spec", "instances")).intValue()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void devIsOneOfEverything() {
        List<Map<String, Object>> docs = render("dev");
        assertThat(get(flockDeployment(docs), "spec", "replicas")).isEqualTo(1);
        assertThat(get(one(docs, "HorizontalPodAutoscaler", "flock"::equals), "spec", "minReplicas")).isEqualTo(1);
        assertThat(get(one(docs, "KafkaNodePool", n -> true), "spec", "replicas")).isEqualTo(1);
        assertThat(get(one(docs, "Cluster", "flock-db"::equals), "spec", "instances")).isEqualTo(1);
        assertThat(configMap(docs).get("KAFKA_REPLICATION_FACTOR")).isEqualTo("1");
    }

    @Test
    void prodIsReplicatedAndSpread() {
        List<Map<String, Object>> docs = render("prod");
        Map<String, Object> deployment = flockDeployment(docs);
        assertThat(((Number) get(deployment, "spec", "replicas")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) get(one(docs, "HorizontalPodAutoscaler", "flock"::equals), "spec", "minReplicas"))
                .intValue()).isGreaterThanOrEqualTo(2);
        Map<String, Object> podSpec = map(get(deployment, "spec", "template", "spec"));
        assertThat(podSpec.get("topologySpreadConstraints") != null || get(podSpec, "affinity", "podAntiAffinity") != null)
                .as("prod pods are spread (topologySpreadConstraints or podAntiAffinity)").isTrue();
        assertThat(((Number) get(one(docs, "KafkaNodePool", n -> true), "spec", "replicas")).intValue())
                .isGreaterThanOrEqualTo(3);
        assertThat(((Number) get(one(docs, "Cluster", "flock-db"::equals), "spec", "instances")).intValue())
                .isGreaterThanOrEqualTo(3);
        assertThat(configMap(docs).get("KAFKA_REPLICATION_FACTOR")).isEqualTo("3");
        assertThat(str(flockContainer(docs), "image")).as("prod pins an image tag").doesNotEndWith(":latest");
    }

    // --- helpers ---

    private static void assertTopic(Map<String, Object> topic, int partitions, Long retentionMs) {
        assertThat(topic.get("apiVersion")).isEqualTo("kafka.strimzi.io/v1beta2");
        assertThat(get(topic, "spec", "partitions")).as("partitions of %s", str(topic, "spec", "topicName"))
                .isEqualTo(partitions);
        Object retention = get(topic, "spec", "config", "retention.ms");
        assertThat(retention).as("retention.ms of %s", str(topic, "spec", "topicName")).isInstanceOf(Number.class);
        if (retentionMs != null) {
            assertThat(((Number) retention).longValue()).isEqualTo(retentionMs);
        }
    }

    private static List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, KubernetesManifestsTest::kustomize);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> kustomize(String overlay) {
        Path dir = PROJECT.resolve("k8s/overlays").resolve(overlay);
        assertThat(dir).as("overlay directory").isDirectory();
        String kubectl = Objects.requireNonNullElse(System.getenv("KUBECTL"), "kubectl");
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("kustomize-" + overlay, ".yaml");
            err = Files.createTempFile("kustomize-" + overlay, ".err");
            Process process;
            try {
                process = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                        .directory(PROJECT.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                return fail("kubectl is needed to render k8s/overlays/" + overlay + " but could not be run (" + kubectl
                        + "): " + e.getMessage() + ". Install it (Debian: apt-get install kubectl) or point the "
                        + "KUBECTL environment variable at it.");
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("kubectl kustomize k8s/overlays/" + overlay + " did not finish within 120 s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("kubectl kustomize k8s/overlays/%s exit code; stderr:%n%s", overlay, stderr)
                    .isZero();
            List<Map<String, Object>> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(Files.readString(out, StandardCharsets.UTF_8))) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
            assertThat(docs).as("documents rendered from k8s/overlays/%s", overlay).isNotEmpty();
            return List.copyOf(docs);
        } catch (IOException e) {
            throw new IllegalStateException("rendering k8s/overlays/" + overlay + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering k8s/overlays/" + overlay, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; nothing depends on it
            }
        }
    }

    private static Map<String, Object> one(List<Map<String, Object>> docs, String kind,
                                           Predicate<String> name) {
        List<Map<String, Object>> found = docs.stream()
                .filter(d -> kind.equals(d.get("kind")) && name.test(str(d, "metadata", "name")))
                .collect(Collectors.toList());
        assertThat(found).as("rendered %s", kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> flockDeployment(List<Map<String, Object>> docs) {
        return one(docs, "Deployment", "flock"::equals);
    }

    private static Map<String, Object> flockContainer(List<Map<String, Object>> docs) {
        List<Object> containers = list(flockDeployment(docs), "spec", "template", "spec", "containers");
        return containers.stream().map(KubernetesManifestsTest::map).filter(c -> "flock".equals(c.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no container named flock in Deployment flock"));
    }

    private static Map<String, String> configMap(List<Map<String, Object>> docs) {
        Map<String, Object> data = map(get(one(docs, "ConfigMap", n -> n.startsWith("flock-config")), "data"));
        return data.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    private static Object get(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    private static String str(Map<String, Object> root, String... path) {
        Object value = get(root, path);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> root, String... path) {
        Object value = get(root, path);
        assertThat(value).as(String.join(".", path)).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
