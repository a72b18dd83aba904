package dev.flock.platform;

import jakarta.ws.rs.core.Response;

import java.time.Duration;

/** Thrown by features to answer with a specific problem; mapped to problem+json by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static ProblemException of(Response.Status status, String detail) {
        return new ProblemException(Problem.of(status, detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(Problem.invalid(field + " " + message, java.util.List.of(new Problem.FieldError(field, message))));
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(Problem.of(Response.Status.TOO_MANY_REQUESTS, detail), retryAfter);
    }

    public Problem problem() {
        return problem;
    }

    public Response toResponse() {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA).entity(problem);
        if (problem.status() == 401) {
            // Every 401 names the one scheme that would have worked (RFC 9110), as the framework's own 401s do.
            builder.header("WWW-Authenticate", "Bearer");
        }
        if (retryAfter != null) {
            builder.header("Retry-After", retryAfterSeconds(retryAfter));
        }
        return builder.build();
    }

    /** A Retry-After header's value: whole seconds, rounded up, at least 1. */
    public static String retryAfterSeconds(Duration wait) {
        return String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
