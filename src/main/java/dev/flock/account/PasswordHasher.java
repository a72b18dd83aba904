package dev.flock.account;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * bcrypt with a random salt per password. bcrypt reads at most 72 bytes, so the password is first reduced to its
 * SHA-256 digest: two long passwords sharing a prefix must not both work. Hashing is slow on purpose, so it runs on a
 * worker thread and answers back on the caller's event loop (Hibernate Reactive needs its own context back).
 */
@ApplicationScoped
public class PasswordHasher {

    @Inject
    AccountsConfig config;

    @Inject
    Vertx vertx;

    private volatile String decoy;

    public Uni<String> hash(String password) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(prehash(password), config.bcryptCost())));
    }

    /** Checks a password; with no account (hash null) it checks against a decoy so both failures take as long. */
    public Uni<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            boolean ok = BcryptUtil.matches(prehash(password), hash != null ? hash : decoy());
            return ok && hash != null;
        }));
    }

    private String decoy() {
        String d = decoy;
        if (d == null) {
            d = BcryptUtil.bcryptHash("decoy", config.bcryptCost());
            decoy = d;
        }
        return d;
    }

    private static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
