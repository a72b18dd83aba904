package dev.flock.embedded;

final class EmbeddedServicesControl implements EmbeddedServicesControlMBean {

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaBroker kafka;

    EmbeddedServicesControl(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        try {
            kafka.start();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start again", e);
        }
    }

    @Override
    public void stopPostgres() {
        postgres.stop();
    }

    @Override
    public void startPostgres() {
        try {
            postgres.start();
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL did not start again", e);
        }
    }

    @Override
    public String getDatabaseUrl() {
        return postgres.reactiveUrl();
    }

    @Override
    public String getKafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }
}
