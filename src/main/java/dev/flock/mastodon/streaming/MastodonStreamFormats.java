package dev.flock.mastodon.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flock.mastodon.Urls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link MastodonStreamFormat} per origin the clients reach this instance by (the Status URLs are absolute, as
 * the REST answers to the same client), so that each origin's frames are rendered once and shared. An instance is
 * normally reached by one or two origins; past {@link #ORIGINS} (a client may send any Host) a stream gets a format
 * of its own, rendered for it alone.
 */
@ApplicationScoped
public class MastodonStreamFormats {

    static final int ORIGINS = 8;

    @Inject
    ObjectMapper json;

    private final Map<String, MastodonStreamFormat> byOrigin = new ConcurrentHashMap<>();

    MastodonStreamFormat of(Urls urls) {
        MastodonStreamFormat known = byOrigin.get(urls.base());
        if (known != null) {
            return known;
        }
        if (byOrigin.size() >= ORIGINS) {
            return new MastodonStreamFormat(urls, json);
        }
        return byOrigin.computeIfAbsent(urls.base(), base -> new MastodonStreamFormat(urls, json));
    }
}
