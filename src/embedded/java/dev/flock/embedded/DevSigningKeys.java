package dev.flock.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Logger;

/**
 * An RSA key pair for signing session tokens in dev and test, made on first start when none is configured. Dev mode
 * keeps it in .flock-data/jwt so tokens survive a restart; a test run keeps it in memory for the JVM's life.
 */
public final class DevSigningKeys {

    private static final Logger LOG = Logger.getLogger(DevSigningKeys.class.getName());
    static final String PRIVATE = "flock.embedded.jwt-private-key";
    static final String PUBLIC = "flock.embedded.jwt-public-key";

    private DevSigningKeys() {
    }

    static synchronized Map<String, String> ensure(boolean persistent) {
        if (System.getProperty(PRIVATE) == null) {
            Path dir = EmbeddedServices.dataRoot(persistent).resolve("jwt");
            try {
                if (persistent && Files.exists(dir.resolve("private.pem")) && Files.exists(dir.resolve("public.pem"))) {
                    System.setProperty(PRIVATE, Files.readString(dir.resolve("private.pem")));
                    System.setProperty(PUBLIC, Files.readString(dir.resolve("public.pem")));
                } else {
                    KeyPair pair = generate();
                    String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
                    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
                    if (persistent) {
                        Files.createDirectories(dir);
                        Files.writeString(dir.resolve("private.pem"), privatePem);
                        Files.writeString(dir.resolve("public.pem"), publicPem);
                        LOG.info("Generated a development token signing key in " + dir);
                    }
                    System.setProperty(PRIVATE, privatePem);
                    System.setProperty(PUBLIC, publicPem);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("FLOCK_JWT_PRIVATE_KEY", System.getProperty(PRIVATE), "FLOCK_JWT_PUBLIC_KEY", System.getProperty(PUBLIC));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM text of a DER-encoded key ("PRIVATE KEY", "PUBLIC KEY"). */
    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
