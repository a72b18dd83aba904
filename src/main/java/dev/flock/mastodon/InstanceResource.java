package dev.flock.mastodon;

import dev.flock.account.Accounts;
import dev.flock.tweet.TweetText;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What clients read about the server before anything else: the streaming URL, the status length limit and the
 * version, which clients parse as Mastodon's to decide which features to use (so it leads with the Mastodon
 * version whose client API Flock follows).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    /** The Mastodon version whose client API this follows. */
    static final String MASTODON_VERSION = "4.3.0";
    private static final Duration TOTALS_FOR = Duration.ofMinutes(1);

    @Inject
    MastodonConfig config;

    @Inject
    Accounts accounts;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "1.0")
    String flockVersion;

    private volatile Accounts.Totals totals;
    private volatile long totalsAtNanos;

    @GET
    @Path("/v2/instance")
    public Uni<Map<String, Object>> v2(@Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        return totals().map(t -> {
            Map<String, Object> v2 = new LinkedHashMap<>();
            v2.put("domain", urls.domain());
            v2.put("title", config.title());
            v2.put("version", version());
            v2.put("source_url", "https://github.com/mastodon/mastodon");
            v2.put("description", config.description());
            v2.put("usage", Map.of("users", Map.of("active_month", t.accounts())));
            v2.put("thumbnail", Map.of("url", urls.at("/favicon.svg")));
            v2.put("icon", List.of());
            v2.put("languages", List.of("en"));
            Map<String, Object> configuration = new LinkedHashMap<>();
            Map<String, Object> links = new LinkedHashMap<>();
            links.put("streaming", urls.streaming());
            links.put("status", null);
            links.put("about", urls.at("/"));
            links.put("privacy_policy", null);
            links.put("terms_of_service", null);
            configuration.put("urls", links);
            configuration.put("vapid", Map.of("public_key", ""));
            configuration.put("accounts", Map.of("max_featured_tags", 0, "max_pinned_statuses", 0,
                    "max_display_name_length", 50, "max_note_length", 160, "max_profile_fields", 0));
            configuration.putAll(limits());
            configuration.put("translation", Map.of("enabled", false));
            v2.put("configuration", configuration);
            Map<String, Object> registrations = new LinkedHashMap<>();
            registrations.put("enabled", false);
            registrations.put("approval_required", false);
            registrations.put("message", "Sign up on " + urls.at("/"));
            registrations.put("url", urls.at("/"));
            v2.put("registrations", registrations);
            v2.put("api_versions", Map.of("mastodon", 2));
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("email", config.contactEmail().orElse(""));
            contact.put("account", null);
            v2.put("contact", contact);
            v2.put("rules", List.of());
            return v2;
        });
    }

    @GET
    @Path("/v1/instance")
    public Uni<Map<String, Object>> v1(@Context UriInfo uri) {
        Urls urls = Urls.of(uri);
        return totals().map(t -> {
            Map<String, Object> v1 = new LinkedHashMap<>();
            v1.put("uri", urls.domain());
            v1.put("title", config.title());
            v1.put("short_description", config.description());
            v1.put("description", config.description());
            v1.put("email", config.contactEmail().orElse(""));
            v1.put("version", version());
            v1.put("urls", Map.of("streaming_api", urls.streaming()));
            v1.put("stats", Map.of("user_count", t.accounts(), "status_count", t.tweets(), "domain_count", 0));
            v1.put("thumbnail", urls.at("/favicon.svg"));
            v1.put("languages", List.of("en"));
            // Sign-up happens through Flock's own API or web page, not through Mastodon's POST /api/v1/accounts.
            v1.put("registrations", false);
            v1.put("approval_required", false);
            v1.put("invites_enabled", false);
            Map<String, Object> configuration = new LinkedHashMap<>();
            configuration.put("accounts", Map.of("max_featured_tags", 0));
            configuration.putAll(limits());
            v1.put("configuration", configuration);
            v1.put("contact_account", null);
            v1.put("rules", List.of());
            return v1;
        });
    }

    @GET
    @Path("/v1/instance/peers")
    public List<String> peers() {
        return List.of();
    }

    @GET
    @Path("/v1/instance/activity")
    public List<Object> activity() {
        return List.of();
    }

    @GET
    @Path("/v1/instance/rules")
    public List<Object> rules() {
        return List.of();
    }

    @GET
    @Path("/v1/instance/extended_description")
    public Map<String, Object> extendedDescription() {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("updated_at", null);
        description.put("content", Html.paragraphs(config.description()));
        return description;
    }

    @GET
    @Path("/v1/instance/translation_languages")
    public Map<String, Object> translationLanguages() {
        return Map.of();
    }

    @GET
    @Path("/v1/custom_emojis")
    public List<Object> customEmojis() {
        return List.of();
    }

    /** Flock has no trends or profile directory: empty lists. */
    @GET
    @Path("/v1/trends")
    public List<Object> trends() {
        return List.of();
    }

    @GET
    @Path("/v1/trends/tags")
    public List<Object> trendingTags() {
        return List.of();
    }

    @GET
    @Path("/v1/trends/statuses")
    public List<Object> trendingStatuses() {
        return List.of();
    }

    @GET
    @Path("/v1/trends/links")
    public List<Object> trendingLinks() {
        return List.of();
    }

    @GET
    @Path("/v1/directory")
    public List<Object> directory() {
        return List.of();
    }

    String version() {
        return MASTODON_VERSION + " (compatible; Flock " + flockVersion + ")";
    }

    /** Statuses of at most 280 characters, without media or polls. */
    private static Map<String, Object> limits() {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("statuses", Map.of("max_characters", TweetText.MAX, "max_media_attachments", 0,
                "characters_reserved_per_url", 23));
        limits.put("media_attachments", Map.of("supported_mime_types", List.of(), "image_size_limit", 0,
                "image_matrix_limit", 0, "video_size_limit", 0, "video_frame_rate_limit", 0, "video_matrix_limit", 0,
                "description_limit", 0));
        limits.put("polls", Map.of("max_options", 0, "max_characters_per_option", 0, "min_expiration", 0,
                "max_expiration", 0));
        return limits;
    }

    /** Account and tweet totals, read at most once a minute: every client asks at start. */
    private Uni<Accounts.Totals> totals() {
        Accounts.Totals known = totals;
        if (known != null && System.nanoTime() - totalsAtNanos < TOTALS_FOR.toNanos()) {
            return Uni.createFrom().item(known);
        }
        return Panache.withSession(() -> accounts.totals())
                .invoke(t -> {
                    totals = t;
                    totalsAtNanos = System.nanoTime();
                })
                .onFailure().recoverWithItem(() -> known != null ? known : new Accounts.Totals(0, 0));
    }
}
