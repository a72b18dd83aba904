package dev.flock.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Supplies {@code FLOCK_DB_URL} and {@code KAFKA_BOOTSTRAP_SERVERS} in the dev and test profiles when nothing else
 * does, by starting the embedded PostgreSQL and Kafka, and a token signing key pair when none is configured. Its ordinal is below every ordinary source, so an environment
 * variable or a system property always wins and then nothing is started.
 */
public final class EmbeddedServicesConfigSourceFactory implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(EmbeddedServicesConfigSourceFactory.class.getName());
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean dev = profiles.contains("dev");
        boolean test = profiles.contains("test");
        if ((!dev && !test) || duringBuild()) {
            return List.of();
        }
        Map<String, String> values = new HashMap<>();
        if (isUnset(context.getValue("FLOCK_JWT_PRIVATE_KEY")) && isUnset(context.getValue("FLOCK_JWT_PUBLIC_KEY"))) {
            values.putAll(DevSigningKeys.ensure(dev));
        }
        boolean needDb = isUnset(context.getValue("FLOCK_DB_URL"));
        boolean needKafka = isUnset(context.getValue("KAFKA_BOOTSTRAP_SERVERS"));
        if (!needDb && !needKafka) {
            return List.of(new PropertiesConfigSource(values, "flock-embedded-services", ORDINAL));
        }
        if (needDb != needKafka) {
            LOG.warning("Only one of FLOCK_DB_URL and KAFKA_BOOTSTRAP_SERVERS is configured; embedded services start for the other");
        }
        Map<String, String> started = EmbeddedServices.ensureStarted(dev);
        if (needDb) {
            values.put("FLOCK_DB_URL", started.get(EmbeddedServices.DB_URL));
            values.put("FLOCK_DB_USER", "postgres");
            values.put("FLOCK_DB_PASSWORD", "");
        }
        if (needKafka) {
            values.put("KAFKA_BOOTSTRAP_SERVERS", started.get(EmbeddedServices.KAFKA_SERVERS));
        }
        return List.of(new PropertiesConfigSource(values, "flock-embedded-services", ORDINAL));
    }

    private static boolean isUnset(ConfigValue value) {
        return value == null || value.getValue() == null || value.getValue().isBlank();
    }

    /** Quarkus also reads configuration while it builds the application; nothing may start then. */
    private static boolean duringBuild() {
        for (StackTraceElement frame : Thread.currentThread().getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("io.quarkus.deployment.") || type.startsWith("io.quarkus.runner.bootstrap.AugmentActionImpl")) {
                return true;
            }
        }
        return false;
    }
}
