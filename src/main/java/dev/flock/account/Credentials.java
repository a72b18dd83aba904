package dev.flock.account;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/sessions. Only presence and a sane size are checked, so a failure reveals nothing more. */
@Schema(description = "A username (any case) and its password")
public record Credentials(
        @NotNull(message = "is required") @Size(max = 100, message = "is too long") String username,
        @NotNull(message = "is required") @Size(max = 1000, message = "is too long") String password) {
}
