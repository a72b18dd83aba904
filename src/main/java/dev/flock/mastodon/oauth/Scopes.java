package dev.flock.mastodon.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Mastodon's OAuth scopes: the top-level read, write, follow, push, profile and their granular forms. */
public final class Scopes {

    public static final List<String> SUPPORTED = List.of(
            "read", "write", "follow", "push", "profile",
            "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows",
            "read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
            "write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
            "write:filters", "write:follows", "write:lists", "write:media", "write:mutes", "write:notifications",
            "write:reports", "write:statuses");

    /** What the legacy "follow" scope stands for. */
    private static final Set<String> FOLLOW = Set.of("read:follows", "write:follows", "read:blocks", "write:blocks",
            "read:mutes", "write:mutes");

    private Scopes() {
    }

    /** Scopes from a space- (or plus-) separated string; empty for null or blank. */
    public static Set<String> parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(raw.trim().split("[\\s+]+")).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static String format(Set<String> scopes) {
        return String.join(" ", scopes);
    }

    public static boolean allSupported(Set<String> scopes) {
        return SUPPORTED.containsAll(scopes);
    }

    /** Whether the granted scopes include the required one: itself, its top-level scope, or the legacy "follow". */
    public static boolean covers(Set<String> granted, String required) {
        if (granted.contains(required)) {
            return true;
        }
        int colon = required.indexOf(':');
        if (colon > 0 && granted.contains(required.substring(0, colon))) {
            return true;
        }
        return granted.contains("follow") && FOLLOW.contains(required);
    }

    /** Whether every requested scope is covered by what the application registered. */
    public static boolean within(Set<String> requested, Set<String> registered) {
        return requested.stream().allMatch(s -> covers(registered, s));
    }
}
