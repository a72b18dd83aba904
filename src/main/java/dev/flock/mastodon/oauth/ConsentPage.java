package dev.flock.mastodon.oauth;

import dev.flock.mastodon.Html;
import dev.flock.mastodon.MastodonConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * The HTML of the OAuth sign-in and consent page. It asks for the username and password and repeats the request's
 * parameters in hidden fields; it may not be framed (clickjacking) and is never cached.
 */
@ApplicationScoped
public class ConsentPage {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
            h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;
            padding:.5rem;box-sizing:border-box}button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#b00020}
            code{font-size:1.2rem;word-break:break-all;background:#eef;padding:.3rem}""";

    @Inject
    MastodonConfig config;

    /** The sign-in and consent form, with a message after a failed attempt. */
    Response form(AuthorizationRequest request, int status, String message) {
        StringBuilder html = new StringBuilder();
        html.append("<h1>Authorize ").append(Html.escape(request.application().name())).append("</h1>");
        html.append("<p>").append(Html.escape(request.application().name()))
                .append(" asks to use your ").append(Html.escape(config.title())).append(" account with these permissions: <strong>")
                .append(Html.escape(Scopes.format(request.scopes()))).append("</strong>.</p>");
        if (message != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(Html.escape(message)).append("</p>");
        }
        html.append("<form method=\"post\" action=\"/oauth/authorize\">");
        for (Map.Entry<String, String> field : request.hiddenFields().entrySet()) {
            html.append("<input type=\"hidden\" name=\"").append(Html.escape(field.getKey())).append("\" value=\"")
                    .append(Html.escape(field.getValue())).append("\">");
        }
        html.append("<label for=\"username\">Username</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required>");
        html.append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>");
        html.append("<button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button>");
        html.append("<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>");
        html.append("</form>");
        return page(status, "Authorize " + request.application().name(), html.toString());
    }

    /** The code for an out-of-band client, to copy into the application. */
    Response code(AuthorizationRequest request, String code) {
        String html = "<h1>Authorization code</h1><p>Copy this code into " + Html.escape(request.application().name())
                + ":</p><p><code id=\"code\">" + Html.escape(code) + "</code></p>";
        return page(200, "Authorization code", html);
    }

    Response error(int status, String title, String description) {
        return page(status, title, "<h1>" + Html.escape(title) + "</h1><p class=\"error\">" + Html.escape(description) + "</p>");
    }

    private Response page(int status, String title, String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + Html.escape(title)
                + " · " + Html.escape(config.title()) + "</title><style>" + STYLE + "</style></head><body>" + body + "</body></html>";
        return Response.status(status).type("text/html; charset=utf-8").entity(html)
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }
}
