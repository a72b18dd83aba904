package dev.flock.platform;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every operation of the OpenAPI document (/q/openapi) shares, written once: each operation's own answers are on
 * its resource method, the document's front matter in package-info.java. Every error is problem+json, a 401 challenges
 * for a bearer token, a 429 says when to retry, a JSON body may be refused as too large or of the wrong type, an
 * operation without {@code @Authenticated} needs no token, and no schema admits a field it does not name (Flock
 * rejects unknown request fields and sends no undocumented ones). Runs when the application is built.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiConventions implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getPaths().getPathItems().values()
                .forEach(item -> item.getOperations().values().forEach(OpenApiConventions::conventions));
        openAPI.getComponents().getSchemas().values().forEach(schema -> {
            if (schema.getProperties() != null) {
                schema.setAdditionalPropertiesSchema(OASFactory.createSchema().booleanSchema(false));
            }
        });
    }

    private static void conventions(Operation operation) {
        boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (!secured) {
            operation.setSecurity(List.of());
        }
        Map<String, APIResponse> responses = new TreeMap<>(operation.getResponses().getAPIResponses());
        // Quarkus documents a 403 on every secured operation for role checks; Flock has no roles. Its 403 on a secured
        // operation: an OAuth token (Mastodon API) that was not granted both read and write (CallerIdentity).
        responses.entrySet().removeIf(e -> e.getKey().equals("403") && "Not Allowed".equals(e.getValue().getDescription()));
        if (secured) {
            responses.put("401", OASFactory.createAPIResponse().description("No valid bearer token"));
            responses.putIfAbsent("403", OASFactory.createAPIResponse()
                    .description("The token is an OAuth token that was not granted both `read` and `write`"));
        }
        if (operation.getRequestBody() != null) {
            responses.putIfAbsent("413", OASFactory.createAPIResponse().description("The body is over 64 KiB"));
            responses.putIfAbsent("415", OASFactory.createAPIResponse().description("The body is not application/json"));
        }
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                problem(status, response);
            }
        });
        operation.getResponses().setAPIResponses(responses);
    }

    private static void problem(String status, APIResponse response) {
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))));
        if (status.equals("401")) {
            response.addHeader("WWW-Authenticate", header("Always `Bearer`", "Bearer"));
        } else if (status.equals("429")) {
            response.addHeader("Retry-After", OASFactory.createHeader().required(true)
                    .description("Whole seconds until a retry can succeed")
                    .schema(OASFactory.createSchema().addType(SchemaType.INTEGER).minimum(BigDecimal.ONE)));
        }
    }

    private static Header header(String description, String value) {
        return OASFactory.createHeader().required(true).description(description)
                .schema(OASFactory.createSchema().addType(SchemaType.STRING).constValue(value));
    }
}
