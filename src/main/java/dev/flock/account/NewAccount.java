package dev.flock.account;

import dev.flock.platform.PlainText;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The body of POST /api/accounts. */
public record NewAccount(
        @NotNull(message = "is required")
        @Pattern(regexp = "[A-Za-z0-9_]{3,30}", message = "must be 3 to 30 letters, digits or underscores")
        String username,
        @NotNull(message = "is required")
        @PlainText(min = 8, max = 128)
        String password,
        @PlainText(max = 50)
        String displayName,
        @PlainText(max = 160, multiline = true)
        String bio) {
}
