package dev.flock.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** An RFC 9457 problem detail, the body of every error Flock answers. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An RFC 9457 problem detail (application/problem+json), the body of every error")
public record Problem(
        @Schema(required = true, description = "`about:blank`, or `urn:flock:problem:validation` for invalid input", examples = "urn:flock:problem:validation")
        String type,
        @Schema(required = true, description = "The status's reason phrase", examples = "Invalid request")
        String title,
        @Schema(required = true, description = "The HTTP status code, repeated", examples = "400")
        int status,
        @Schema(description = "What went wrong, for people", examples = "text must be 1 to 280 characters")
        String detail,
        @Schema(description = "For validation problems: each field and what is wrong with it")
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);

    @RegisterForReflection
    @Schema(description = "One invalid field of a request")
    public record FieldError(
            @Schema(required = true, description = "The field (or parameter, or header) name", examples = "text") String field,
            @Schema(required = true, description = "What is wrong with it", examples = "must be 1 to 280 characters") String message) {
    }

    public static Problem of(Response.StatusType status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, null);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null);
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem("urn:flock:problem:validation", "Invalid request", 400, detail, errors);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }
}
