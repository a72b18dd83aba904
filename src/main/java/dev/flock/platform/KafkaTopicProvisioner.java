package dev.flock.platform;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Creates Flock's topics before any channel starts, so no consumer subscribes to a topic that does not exist yet. */
@ApplicationScoped
public class KafkaTopicProvisioner {

    private static final Logger LOG = Logger.getLogger(KafkaTopicProvisioner.class);

    @Inject
    KafkaTopicsConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    TimelineLog log;

    // Runs on the start-up thread, before SmallRye Reactive Messaging (LIBRARY_BEFORE) connects its channels.
    void createTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) throws Exception {
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaConfig.get("bootstrap.servers"));
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.timeout().toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            if (config.createTopics() && !config.topics().isEmpty()) {
                create(admin);
            }
            describeTimelineLog(admin);
        }
    }

    /** Cursors name the log's epoch and partition count, so they are read before anything produces or consumes. */
    private void describeTimelineLog(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(TimelineLog.TOPIC)).allTopicNames()
                .get(config.timeout().toMillis(), TimeUnit.MILLISECONDS).get(TimelineLog.TOPIC);
        log.described(description.topicId().toString(), description.partitions().size());
        LOG.infof("%s: epoch %s, %d partitions", TimelineLog.TOPIC, description.topicId(), description.partitions().size());
    }

    private void create(Admin admin) throws Exception {
        Set<String> existing = admin.listTopics().names().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        List<NewTopic> missing = config.topics().entrySet().stream()
                .filter(e -> !existing.contains(e.getKey()))
                .map(e -> newTopic(e.getKey(), e.getValue()))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Another instance starting at the same moment may have won the race; that is fine.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        LOG.infof("Created Kafka topics %s", missing.stream().map(NewTopic::name).toList());
    }

    private NewTopic newTopic(String name, KafkaTopicsConfig.Topic topic) {
        Map<String, String> settings = new HashMap<>();
        topic.retention().ifPresent(r -> settings.put("retention.ms", String.valueOf(r.toMillis())));
        topic.minInsyncReplicas().ifPresent(n -> settings.put("min.insync.replicas", String.valueOf(n)));
        return new NewTopic(name, topic.partitions(), config.replicationFactor()).configs(settings);
    }
}
