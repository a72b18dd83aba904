package dev.flock.mastodon;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Endpoints that clients call when they start, for features Flock does not have: they answer empty lists or objects
 * (never 404), so that a client shows an empty tab instead of an error. Each still needs the token and scope
 * Mastodon would ask for.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class StartupEndpoints {

    @Inject
    MastodonCaller caller;

    @GET
    @Path("/v1/notifications")
    public List<Object> notifications() {
        return empty("read:notifications");
    }

    @GET
    @Path("/v1/notifications/unread_count")
    public Map<String, Object> unreadNotifications() {
        caller.account("read:notifications");
        return Map.of("count", 0);
    }

    @POST
    @Path("/v1/notifications/clear")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> clearNotifications() {
        caller.account("write:notifications");
        return Map.of();
    }

    @GET
    @Path("/v2/notifications")
    public Map<String, Object> groupedNotifications() {
        caller.account("read:notifications");
        return Map.of("accounts", List.of(), "statuses", List.of(), "notification_groups", List.of());
    }

    @GET
    @Path("/v2/notifications/unread_count")
    public Map<String, Object> unreadGroupedNotifications() {
        return unreadNotifications();
    }

    @GET
    @Path("/v1/markers")
    public Map<String, Object> markers() {
        caller.account("read:statuses");
        return Map.of();
    }

    /** Read positions are not kept: saving one answers the empty set of markers. */
    @POST
    @Path("/v1/markers")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> saveMarkers() {
        caller.account("write:statuses");
        return Map.of();
    }

    @GET
    @Path("/v1/preferences")
    public Map<String, Object> preferences() {
        caller.account("read:accounts");
        Map<String, Object> preferences = new LinkedHashMap<>();
        preferences.put("posting:default:visibility", "public");
        preferences.put("posting:default:sensitive", false);
        preferences.put("posting:default:language", null);
        preferences.put("reading:expand:media", "default");
        preferences.put("reading:expand:spoilers", false);
        return preferences;
    }

    @GET
    @Path("/v1/filters")
    public List<Object> filters() {
        return empty("read:filters");
    }

    @GET
    @Path("/v2/filters")
    public List<Object> filtersV2() {
        return empty("read:filters");
    }

    @GET
    @Path("/v1/lists")
    public List<Object> lists() {
        return empty("read:lists");
    }

    @GET
    @Path("/v1/announcements")
    public List<Object> announcements() {
        return empty("read");
    }

    @GET
    @Path("/v1/follow_requests")
    public List<Object> followRequests() {
        return empty("read:follows");
    }

    @GET
    @Path("/v1/blocks")
    public List<Object> blocks() {
        return empty("read:blocks");
    }

    @GET
    @Path("/v1/mutes")
    public List<Object> mutes() {
        return empty("read:mutes");
    }

    @GET
    @Path("/v1/domain_blocks")
    public List<Object> domainBlocks() {
        return empty("read:blocks");
    }

    @GET
    @Path("/v1/favourites")
    public List<Object> favourites() {
        return empty("read:favourites");
    }

    @GET
    @Path("/v1/bookmarks")
    public List<Object> bookmarks() {
        return empty("read:bookmarks");
    }

    @GET
    @Path("/v1/conversations")
    public List<Object> conversations() {
        return empty("read:statuses");
    }

    @GET
    @Path("/v1/followed_tags")
    public List<Object> followedTags() {
        return empty("read:follows");
    }

    @GET
    @Path("/v1/scheduled_statuses")
    public List<Object> scheduledStatuses() {
        return empty("read:statuses");
    }

    @GET
    @Path("/v1/endorsements")
    public List<Object> endorsements() {
        return empty("read:accounts");
    }

    @GET
    @Path("/v1/suggestions")
    public List<Object> suggestions() {
        return empty("read");
    }

    @GET
    @Path("/v2/suggestions")
    public List<Object> suggestionsV2() {
        return empty("read");
    }

    /** Mastodon answers 404 when no Web Push subscription exists; Flock has none. */
    @GET
    @Path("/v1/push/subscription")
    public Object pushSubscription() {
        caller.account("push");
        throw MastodonError.notFound();
    }

    private List<Object> empty(String scope) {
        caller.account(scope);
        return List.of();
    }
}
