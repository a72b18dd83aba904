package dev.flock.testing;

import dev.flock.embedded.DevSigningKeys;
import dev.flock.embedded.EmbeddedServices;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/** What a packaged Flock in the prod profile needs to run against this test JVM's PostgreSQL and Kafka. */
public final class ProductionEnvironment {

    private ProductionEnvironment() {
    }

    /** The services (started once per JVM), a fresh signing key pair, and a posting limit tests do not hit. */
    public static Map<String, String> forTests() throws NoSuchAlgorithmException {
        Map<String, String> services = EmbeddedServices.ensureStarted(false);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Map<String, String> env = new HashMap<>();
        env.put("FLOCK_DB_URL", services.get(EmbeddedServices.DB_URL));
        env.put("FLOCK_DB_USER", "postgres");
        env.put("FLOCK_DB_PASSWORD", "");
        env.put("KAFKA_BOOTSTRAP_SERVERS", services.get(EmbeddedServices.KAFKA_SERVERS));
        env.put("FLOCK_JWT_PRIVATE_KEY", DevSigningKeys.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        env.put("FLOCK_JWT_PUBLIC_KEY", DevSigningKeys.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
        env.put("FLOCK_POSTS_PER_MINUTE", "10000");
        // Tests give each client an address of its own through X-Forwarded-For, from loopback.
        env.put("FLOCK_TRUSTED_PROXIES", "127.0.0.0/8");
        return env;
    }
}
