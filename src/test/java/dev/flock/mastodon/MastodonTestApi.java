package dev.flock.mastodon;

import dev.flock.testing.TestApi;
import dev.flock.testing.TestApi.TestAccount;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Test steps for the Mastodon API: registering an app and signing in through the consent form as a browser does. */
public final class MastodonTestApi {

    static final String REDIRECT = "https://client.example/callback";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private MastodonTestApi() {
    }

    public record App(String clientId, String clientSecret) {
    }

    public static App registerApp(String scopes) {
        Response r = TestApi.api().body(Map.of("client_name", "Test client", "redirect_uris", REDIRECT + " urn:ietf:wg:oauth:2.0:oob",
                "scopes", scopes, "website", "https://client.example")).post("/api/v1/apps");
        r.then().statusCode(200);
        return new App(r.path("client_id"), r.path("client_secret"));
    }

    /** The hidden fields of the consent form for this authorization request. */
    static Map<String, String> consentForm(App app, String scope, String extraQuery) {
        String html = given().redirects().follow(false)
                .get("/oauth/authorize?response_type=code&client_id=" + app.clientId() + "&redirect_uri=" + REDIRECT
                        + "&scope=" + scope.replace(' ', '+') + "&state=xyz" + extraQuery)
                .then().statusCode(200).contentType("text/html").extract().asString();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&lt;", "<").replace("&gt;", ">"));
        }
        return fields;
    }

    /** Posts the consent form with the account's credentials and answers the code from the redirect. */
    static String authorize(App app, TestAccount account, String scope, String extraQuery) {
        Map<String, String> form = new HashMap<>(consentForm(app, scope, extraQuery));
        form.put("username", account.username());
        form.put("password", account.password());
        form.put("decision", "approve");
        String location = given().redirects().follow(false).header("X-Forwarded-For", TestApi.randomAddress())
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth/authorize").then().statusCode(302).extract().header("Location");
        return query(location).get("code");
    }

    public static String token(App app, TestAccount account, String scope) {
        String code = authorize(app, account, scope, "");
        return given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("grant_type", "authorization_code", "code", code, "client_id", app.clientId(),
                        "client_secret", app.clientSecret(), "redirect_uri", REDIRECT))
                .post("/oauth/token").then().statusCode(200).extract().path("access_token");
    }

    /** A token for a fresh app with read, write and follow scopes. */
    public static String token(TestAccount account) {
        return token(registerApp("read write follow"), account, "read write follow");
    }

    public static RequestSpecification as(String token) {
        return TestApi.api().header("Authorization", "Bearer " + token);
    }

    static Map<String, String> query(String uri) {
        Map<String, String> params = new HashMap<>();
        String query = URI.create(uri).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
