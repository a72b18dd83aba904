package dev.flock.account;

import dev.flock.platform.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of POST /api/accounts. */
@Schema(description = "A new account")
public record NewAccount(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9_]{3,30}", message = "must be 3 to 30 letters, digits or underscores")
        String username,
        @NotNull(message = "is required")
        @PlainText(min = 8, max = 128)
        @Schema(description = "8-128 characters, no control characters", minLength = 8, maxLength = 128)
        String password,
        @PlainText(max = 50)
        @Schema(description = "Up to 50 characters, no control characters; defaults to the username", maxLength = 50)
        String displayName,
        @PlainText(max = 160, multiline = true)
        @Schema(description = "Up to 160 characters, no control characters but newline", maxLength = 160)
        String bio) {
}
