package dev.flock.platform;

/**
 * A family of paths whose errors are not answered as problem+json: an API Flock speaks in another project's words
 * (the Mastodon API answers {"error": "..."}). Every failure is still classified once, by {@link ProblemMapper}; a
 * dialect only words the resulting problem for its paths.
 */
public interface ErrorDialect {

    /** Whether errors on this request path (starting with "/") are worded by this dialect. */
    boolean speaks(String path);

    /** The status and JSON body to answer instead of the problem; headers such as Retry-After are kept. */
    Worded word(Problem problem);

    record Worded(int status, Object body) {
    }
}
