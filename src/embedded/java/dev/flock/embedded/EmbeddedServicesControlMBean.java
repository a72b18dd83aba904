package dev.flock.embedded;

/**
 * JMX operations on the embedded services, for fault tests: JMX is JVM-wide, so a test reaches the broker and the
 * database that the application's class loader started. Object name {@value #NAME}.
 */
public interface EmbeddedServicesControlMBean {

    String NAME = "dev.flock:type=EmbeddedServices";

    void stopKafka();

    void startKafka();

    void stopPostgres();

    void startPostgres();

    String getDatabaseUrl();

    String getKafkaBootstrapServers();
}
