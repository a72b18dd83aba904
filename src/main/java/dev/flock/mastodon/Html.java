package dev.flock.mastodon;

/**
 * Plain text as Mastodon's HTML: escaped, each paragraph (text between blank lines) in its own {@code <p>}, single
 * newlines as {@code <br />}. Flock does not link URLs, mentions or hashtags (docs/mastodon-api.md).
 */
public final class Html {

    private Html() {
    }

    public static String paragraphs(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder(text.length() + 16);
        for (String paragraph : text.strip().split("\n\\s*\n")) {
            html.append("<p>").append(escape(paragraph.strip()).replace("\n", "<br />")).append("</p>");
        }
        return html.toString();
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
