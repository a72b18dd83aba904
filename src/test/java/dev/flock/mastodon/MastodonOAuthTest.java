package dev.flock.mastodon;

import dev.flock.mastodon.MastodonTestApi.App;
import dev.flock.testing.TestApi;
import dev.flock.testing.TestApi.TestAccount;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static dev.flock.mastodon.MastodonTestApi.REDIRECT;
import static dev.flock.mastodon.MastodonTestApi.as;
import static dev.flock.testing.TestApi.api;
import static dev.flock.testing.TestApi.signUp;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.isA;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class MastodonOAuthTest {

    private static Response tokenRequest(Map<String, String> form) {
        return given().contentType("application/x-www-form-urlencoded").formParams(form).post("/oauth/token");
    }

    private static Map<String, String> codeExchange(App app, String code) {
        return new HashMap<>(Map.of("grant_type", "authorization_code", "code", code, "client_id", app.clientId(),
                "client_secret", app.clientSecret(), "redirect_uri", REDIRECT));
    }

    @Test
    void registeringAnAppAnswersItsCredentials() {
        api().body(Map.of("client_name", "Shapes", "redirect_uris", REDIRECT, "scopes", "read write"))
                .post("/api/v1/apps").then().statusCode(200).contentType("application/json")
                .body("id", isA(String.class))
                .body("name", equalTo("Shapes"))
                .body("website", nullValue())
                .body("scopes", hasItems("read", "write"))
                .body("redirect_uri", equalTo(REDIRECT))
                .body("redirect_uris", hasItems(REDIRECT))
                .body("client_id", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("client_secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("client_secret_expires_at", equalTo(0));
    }

    @Test
    void appsAcceptFormBodiesAndRedirectUriArrays() {
        given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("client_name", "Form app", "redirect_uris[]", REDIRECT))
                .post("/api/v1/apps").then().statusCode(200).body("scopes", hasItems("read"));
        api().body(Map.of("client_name", "Array app", "redirect_uris", java.util.List.of(REDIRECT, "app://back")))
                .post("/api/v1/apps").then().statusCode(200).body("redirect_uris", hasItems(REDIRECT, "app://back"));
    }

    @Test
    void invalidAppsAre422WithMastodonsWords() {
        api().body(Map.of("redirect_uris", REDIRECT)).post("/api/v1/apps").then().statusCode(422)
                .contentType("application/json").body("error", equalTo("Validation failed: Application name can't be blank"));
        api().body(Map.of("client_name", "x")).post("/api/v1/apps").then().statusCode(422)
                .body("error", equalTo("Validation failed: Redirect URI can't be blank"));
        api().body(Map.of("client_name", "x", "redirect_uris", "/relative")).post("/api/v1/apps").then().statusCode(422)
                .body("error", equalTo("Validation failed: Redirect URI must be an absolute URI."));
        api().body(Map.of("client_name", "x", "redirect_uris", "javascript:alert(1)")).post("/api/v1/apps").then().statusCode(422);
        api().body(Map.of("client_name", "x", "redirect_uris", REDIRECT, "scopes", "read admin:everything")).post("/api/v1/apps")
                .then().statusCode(422);
        api().body("{\"client_name\": ").post("/api/v1/apps").then().statusCode(400).contentType("application/json")
                .body("error", notNullValue());
    }

    @Test
    void theConsentPageIsAFormThatPostsBackWithTheParametersHidden() {
        App app = MastodonTestApi.registerApp("read write follow");
        String html = given().get("/oauth/authorize?response_type=code&client_id=" + app.clientId() + "&redirect_uri="
                        + REDIRECT + "&scope=read+write&state=s1")
                .then().statusCode(200).contentType("text/html")
                .header("X-Frame-Options", "DENY").header("Cache-Control", "no-store")
                .extract().asString();
        assertThat(html).contains("<form method=\"post\" action=\"/oauth/authorize\">", "name=\"username\"",
                "name=\"password\"", "type=\"password\"", "name=\"client_id\" value=\"" + app.clientId() + "\"",
                "name=\"state\" value=\"s1\"", "name=\"scope\" value=\"read write\"");
    }

    @Test
    void authorizationCodeFlowGivesATokenThatWorksOnBothApis() {
        TestAccount a = signUp("oauthflow");
        App app = MastodonTestApi.registerApp("read write follow");
        String code = MastodonTestApi.authorize(app, a, "read write follow", "");
        Response token = tokenRequest(codeExchange(app, code));
        token.then().statusCode(200).contentType("application/json").header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("read write follow"))
                .body("created_at", isA(Integer.class));
        String accessToken = token.path("access_token");
        as(accessToken).get("/api/v1/accounts/verify_credentials").then().statusCode(200).body("id", equalTo(a.id()));
        as(accessToken).get("/api/v1/apps/verify_credentials").then().statusCode(200).body("name", equalTo("Test client"))
                .body("client_secret", nullValue());
        as(accessToken).get("/api/accounts/me").then().statusCode(200).body("username", equalTo(a.username()));
        // A code is good once.
        tokenRequest(codeExchange(app, code)).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", notNullValue());
    }

    @Test
    void theRedirectCarriesCodeAndState() {
        TestAccount a = signUp("oauthstate");
        App app = MastodonTestApi.registerApp("read");
        Map<String, String> form = new HashMap<>(MastodonTestApi.consentForm(app, "read", ""));
        form.put("username", a.username());
        form.put("password", a.password());
        String location = given().redirects().follow(false).header("X-Forwarded-For", TestApi.randomAddress())
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth/authorize").then().statusCode(302).extract().header("Location");
        assertThat(location).startsWith(REDIRECT + "?code=");
        assertThat(MastodonTestApi.query(location)).containsEntry("state", "xyz").containsKey("code");
    }

    @Test
    void tokenExchangeChecksClientSecretAndRedirectUri() {
        TestAccount a = signUp("oauthcheck");
        App app = MastodonTestApi.registerApp("read");
        Map<String, String> wrongSecret = codeExchange(app, MastodonTestApi.authorize(app, a, "read", ""));
        wrongSecret.put("client_secret", "not-the-secret");
        tokenRequest(wrongSecret).then().statusCode(401).body("error", equalTo("invalid_client"));
        Map<String, String> wrongRedirect = codeExchange(app, MastodonTestApi.authorize(app, a, "read", ""));
        wrongRedirect.put("redirect_uri", "https://elsewhere.example/cb");
        tokenRequest(wrongRedirect).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // HTTP Basic client authentication and a JSON body work too.
        String code = MastodonTestApi.authorize(app, a, "read", "");
        given().auth().preemptive().basic(app.clientId(), app.clientSecret()).contentType("application/json")
                .body(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
                .post("/oauth/token").then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void badTokenRequestsAreOAuthErrors() {
        App app = MastodonTestApi.registerApp("read");
        tokenRequest(Map.of("client_id", app.clientId())).then().statusCode(400).body("error", equalTo("invalid_request"));
        tokenRequest(Map.of("grant_type", "password", "client_id", app.clientId(), "client_secret", app.clientSecret()))
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        tokenRequest(Map.of("grant_type", "client_credentials", "client_id", app.clientId(), "client_secret", app.clientSecret(),
                "scope", "write")).then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void wrongPasswordShowsTheFormAgain() {
        TestAccount a = signUp("oauthwrong");
        App app = MastodonTestApi.registerApp("read");
        Map<String, String> form = new HashMap<>(MastodonTestApi.consentForm(app, "read", ""));
        form.put("username", a.username());
        form.put("password", "not the password");
        given().redirects().follow(false).header("X-Forwarded-For", TestApi.randomAddress())
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth/authorize").then().statusCode(401).contentType("text/html")
                .body(containsString("Wrong username or password")).body(containsString("name=\"password\""));
    }

    @Test
    void denyingRedirectsWithAccessDenied() {
        App app = MastodonTestApi.registerApp("read");
        Map<String, String> form = new HashMap<>(MastodonTestApi.consentForm(app, "read", ""));
        form.put("decision", "deny");
        String location = given().redirects().follow(false).header("X-Forwarded-For", TestApi.randomAddress())
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth/authorize").then().statusCode(302).extract().header("Location");
        assertThat(MastodonTestApi.query(location)).containsEntry("error", "access_denied").containsEntry("state", "xyz");
    }

    @Test
    void unknownClientsAndUnregisteredRedirectsAreNeverRedirectedTo() {
        App app = MastodonTestApi.registerApp("read");
        given().redirects().follow(false).get("/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=" + REDIRECT)
                .then().statusCode(400).contentType("text/html");
        given().redirects().follow(false).get("/oauth/authorize?response_type=code&client_id=" + app.clientId()
                        + "&redirect_uri=https://evil.example/cb")
                .then().statusCode(400).contentType("text/html");
        String beyond = given().redirects().follow(false).get("/oauth/authorize?response_type=code&client_id=" + app.clientId()
                        + "&redirect_uri=" + REDIRECT + "&scope=write&state=q")
                .then().statusCode(302).extract().header("Location");
        assertThat(MastodonTestApi.query(beyond)).containsEntry("error", "invalid_scope").containsEntry("state", "q");
    }

    @Test
    void pkceS256IsRequiredOnceAChallengeWasSent() throws Exception {
        TestAccount a = signUp("oauthpkce");
        App app = MastodonTestApi.registerApp("read");
        String verifier = "a-verifier-that-is-long-enough-for-rfc-7636-0123456789";
        String challenge = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String pkce = "&code_challenge=" + challenge + "&code_challenge_method=S256";
        tokenRequest(codeExchange(app, MastodonTestApi.authorize(app, a, "read", pkce))).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
        Map<String, String> wrong = codeExchange(app, MastodonTestApi.authorize(app, a, "read", pkce));
        wrong.put("code_verifier", verifier + "x");
        tokenRequest(wrong).then().statusCode(400).body("error", equalTo("invalid_grant"));
        Map<String, String> right = codeExchange(app, MastodonTestApi.authorize(app, a, "read", pkce));
        right.put("code_verifier", verifier);
        tokenRequest(right).then().statusCode(200).body("access_token", notNullValue());
        String plain = given().redirects().follow(false).get("/oauth/authorize?response_type=code&client_id=" + app.clientId()
                        + "&redirect_uri=" + REDIRECT + "&code_challenge=" + challenge + "&code_challenge_method=plain")
                .then().statusCode(302).extract().header("Location");
        assertThat(MastodonTestApi.query(plain)).containsEntry("error", "invalid_request");
    }

    @Test
    void outOfBandClientsAreShownTheCode() {
        TestAccount a = signUp("oauthoob");
        App app = MastodonTestApi.registerApp("read");
        Map<String, String> form = new HashMap<>(MastodonTestApi.consentForm(app, "read", ""));
        form.put("redirect_uri", "urn:ietf:wg:oauth:2.0:oob");
        form.put("username", a.username());
        form.put("password", a.password());
        String html = given().redirects().follow(false).header("X-Forwarded-For", TestApi.randomAddress())
                .contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth/authorize").then().statusCode(200).contentType("text/html").extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<code id=\"code\">([^<]+)</code>").matcher(html);
        assertThat(m.find()).isTrue();
        Map<String, String> exchange = codeExchange(app, m.group(1));
        exchange.put("redirect_uri", "urn:ietf:wg:oauth:2.0:oob");
        tokenRequest(exchange).then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void clientCredentialsTokensActForTheAppOnly() {
        App app = MastodonTestApi.registerApp("read write");
        String token = tokenRequest(Map.of("grant_type", "client_credentials", "client_id", app.clientId(),
                "client_secret", app.clientSecret())).then().statusCode(200).body("scope", equalTo("read"))
                .extract().path("access_token");
        as(token).get("/api/v1/apps/verify_credentials").then().statusCode(200).body("name", equalTo("Test client"));
        as(token).get("/api/v1/accounts/verify_credentials").then().statusCode(422)
                .body("error", equalTo("This method requires an authenticated user"));
        as(token).get("/api/accounts/me").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void revokedTokensAreRefused() {
        TestAccount a = signUp("oauthrevoke");
        App app = MastodonTestApi.registerApp("read write follow");
        String token = MastodonTestApi.token(app, a, "read");
        App other = MastodonTestApi.registerApp("read");
        given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("client_id", other.clientId(), "client_secret", other.clientSecret(), "token", token))
                .post("/oauth/revoke").then().statusCode(403).body("error", equalTo("unauthorized_client"));
        as(token).get("/api/v1/accounts/verify_credentials").then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("client_id", app.clientId(), "client_secret", app.clientSecret(), "token", token))
                .post("/oauth/revoke").then().statusCode(200).body(equalTo("{}"));
        as(token).get("/api/v1/accounts/verify_credentials").then().statusCode(401)
                .contentType("application/json").body("error", equalTo("The access token is invalid"));
        // Unknown tokens are fine to revoke (RFC 7009).
        given().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("client_id", app.clientId(), "client_secret", app.clientSecret(), "token", "garbage"))
                .post("/oauth/revoke").then().statusCode(200);
    }

    @Test
    void narrowTokensStayWithinTheirScopes() {
        TestAccount a = signUp("oauthscope");
        String readOnly = MastodonTestApi.token(MastodonTestApi.registerApp("read write"), a, "read");
        as(readOnly).get("/api/v1/timelines/home").then().statusCode(200);
        as(readOnly).body(Map.of("status", "not allowed")).post("/api/v1/statuses").then().statusCode(403)
                .body("error", equalTo("This action is outside the authorized scopes"));
        // Flock's own API has no scopes: only tokens granted read and write act on it.
        as(readOnly).body(Map.of("text", "not allowed")).post("/api/tweets").then().statusCode(403)
                .contentType("application/problem+json");
        String statusesOnly = MastodonTestApi.token(MastodonTestApi.registerApp("read write"), a, "write:statuses read:statuses");
        as(statusesOnly).body(Map.of("status", "granular scopes")).post("/api/v1/statuses").then().statusCode(200);
        as(statusesOnly).get("/api/v1/accounts/relationships?id[]=" + a.id()).then().statusCode(403);
    }

    @Test
    void serverMetadataNamesTheEndpoints() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200).contentType("application/json")
                .body("authorization_endpoint", matchesPattern("http://[^/]+/oauth/authorize"))
                .body("token_endpoint", matchesPattern("http://[^/]+/oauth/token"))
                .body("revocation_endpoint", matchesPattern("http://[^/]+/oauth/revoke"))
                .body("app_registration_endpoint", matchesPattern("http://[^/]+/api/v1/apps"))
                .body("code_challenge_methods_supported", hasItems("S256"))
                .body("grant_types_supported", hasItems("authorization_code", "client_credentials"))
                .body("scopes_supported", hasItems("read", "write", "follow", "write:statuses"));
    }
}
