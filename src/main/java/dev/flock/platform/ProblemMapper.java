package dev.flock.platform;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Turns every failure of every endpoint, the framework's own included, into application/problem+json. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = errors.stream().map(err -> err.field() + " " + err.message()).collect(Collectors.joining("; "));
        return Problem.invalid(detail, errors).toResponse();
    }

    // Quarkus has built-in mappers for some Jackson exceptions; the most specific type wins, so each is named here.
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, UnrecognizedPropertyException.class,
            MismatchedInputException.class, InvalidFormatException.class, JsonMappingException.class})
    public Response unreadable(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPropertyName();
            return Problem.invalid("unknown field " + field, List.of(new Problem.FieldError(field, "is not a known field"))).toResponse();
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = path(((JsonMappingException) e).getPath());
            if (!field.isEmpty()) {
                return Problem.invalid(field + " has the wrong type", List.of(new Problem.FieldError(field, "has the wrong type"))).toResponse();
            }
        }
        return Problem.of(Response.Status.BAD_REQUEST, "The body is not valid JSON for this request").toResponse();
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.status(401).type(Problem.MEDIA).header("WWW-Authenticate", "Bearer")
                .entity(Problem.of(401, "Unauthorized", detail(401))).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Forbidden", detail(403)).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            LOG.error("Request failed", e);
        }
        Problem problem = Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail(status.getStatusCode()));
        Response.ResponseBuilder builder = Response.status(status.getStatusCode()).type(Problem.MEDIA).entity(problem);
        // Keep what the framework meant to tell the client, such as Allow on a 405 or WWW-Authenticate on a 401.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        if (e instanceof java.io.IOException && "Request too large".equals(e.getMessage())) {
            // A chunked body over quarkus.http.limits.max-body-size: the framework has already answered 413 and
            // closes the connection; this is the client's fault, not a server failure worth an ERROR.
            return Problem.of(413, "Content Too Large", detail(413)).toResponse();
        }
        LOG.error("Unexpected failure", e);
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The server failed to handle the request").toResponse();
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The request is malformed";
            case 401 -> "A valid bearer token is required";
            case 403 -> "This account may not do that";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "The requested media type is not available";
            case 413 -> "The request body is too large";
            case 415 -> "The body must be application/json";
            default -> "The request could not be handled";
        };
    }

    private static String field(ConstraintViolation<?> violation) {
        String last = null;
        for (Path.Node node : violation.getPropertyPath()) {
            last = node.getName();
        }
        return last == null ? "body" : last;
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        return refs.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
