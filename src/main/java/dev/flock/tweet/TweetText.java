package dev.flock.tweet;

import dev.flock.platform.PlainText;
import dev.flock.platform.ProblemException;

import java.text.Normalizer;

/** The tweet text rule: NFC, trimmed, then 1 to 280 code points without control characters other than newline. */
public final class TweetText {

    public static final int MAX = 280;

    private TweetText() {
    }

    public static String accept(String raw) {
        if (raw == null) {
            throw ProblemException.invalid("text", "is required");
        }
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        String problem = PlainText.Validator.problem(text, 1, MAX, true);
        if (problem != null) {
            throw ProblemException.invalid("text", problem);
        }
        return text;
    }

    /** Idempotency-Key: 1 to 64 printable ASCII characters. */
    public static String idempotencyKey(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.isEmpty() || raw.length() > 64 || !raw.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 64 printable ASCII characters");
        }
        return raw;
    }
}
