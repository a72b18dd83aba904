package dev.flock.mastodon.oauth;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Registered OAuth client applications (the oauth_applications table), through the plain reactive pool like the
 * sessions they are issued with. Client secrets are 256 random bits, kept only as their SHA-256.
 */
@ApplicationScoped
public class OAuthApplications {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Application(long id, String name, String website, List<String> redirectUris, String scopes,
                              String clientId) {
    }

    /** A newly registered application and its secret, which is shown this once. */
    public record Registered(Application application, String clientSecret) {
    }

    @Inject
    Pool pool;

    public Uni<Registered> register(String name, String website, List<String> redirectUris, String scopes) {
        String clientId = randomToken();
        String secret = randomToken();
        return pool.preparedQuery("""
                        INSERT INTO oauth_applications (name, website, redirect_uris, scopes, client_id, client_secret_hash)
                        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""")
                .execute(Tuple.tuple(Arrays.asList(name, website, String.join("\n", redirectUris), scopes, clientId, sha256(secret))))
                .map(rows -> new Registered(new Application(rows.iterator().next().getLong("id"), name, website,
                        List.copyOf(redirectUris), scopes, clientId), secret));
    }

    public Uni<Application> byClientId(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
            return Uni.createFrom().nullItem();
        }
        return one("SELECT * FROM oauth_applications WHERE client_id = $1", Tuple.of(clientId)).map(row -> row == null ? null : application(row));
    }

    public Uni<Application> byId(long id) {
        return one("SELECT * FROM oauth_applications WHERE id = $1", Tuple.of(id)).map(row -> row == null ? null : application(row));
    }

    /** The application if the secret is its own, else null; compared in constant time. */
    public Uni<Application> authenticate(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null || clientId.length() > 64) {
            return Uni.createFrom().nullItem();
        }
        return one("SELECT * FROM oauth_applications WHERE client_id = $1", Tuple.of(clientId)).map(row -> {
            if (row == null) {
                return null;
            }
            boolean match = MessageDigest.isEqual(row.getString("client_secret_hash").getBytes(), sha256(clientSecret).getBytes());
            return match ? application(row) : null;
        });
    }

    private Uni<Row> one(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    }

    private static Application application(Row row) {
        return new Application(row.getLong("id"), row.getString("name"), row.getString("website"),
                List.of(row.getString("redirect_uris").split("\n")), row.getString("scopes"), row.getString("client_id"));
    }

    /** 256 random bits, URL-safe. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
