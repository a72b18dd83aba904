/**
 * Cross-cutting pieces every feature uses. The front matter of the OpenAPI document (/q/openapi) is declared here:
 * what the API is, where it runs, and the parameters and headers several operations share.
 */
@OpenAPIDefinition(
        info = @Info(title = "Flock API", version = "1",
                description = "REST half of Flock's public API: accounts, sessions, follows, tweets and the home timeline. "
                        + "The live stream (WebSocket /api/stream) is described by the AsyncAPI document at /asyncapi.yaml; "
                        + "docs/api.md in the repository is the contract in prose.",
                contact = @Contact(name = "Flock maintainers"),
                license = @License(name = "No licence granted yet: all rights reserved")),
        servers = @Server(url = "/", description = "The instance that serves this document"),
        components = @Components(
                schemas = @Schema(name = "Problem", implementation = Problem.class),
                parameters = {
                        @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Items per page, 1-100",
                                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")),
                        @Parameter(name = "cursor", in = ParameterIn.QUERY,
                                description = "The `next` of the previous page (opaque); absent for the first page",
                                schema = @Schema(type = SchemaType.STRING)),
                        @Parameter(name = "before", in = ParameterIn.QUERY,
                                description = "Only tweets older than this id: the `next` of the previous page",
                                schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]+$")),
                        @Parameter(name = "after", in = ParameterIn.QUERY,
                                description = "Only tweets newer than this id, such as the newest one the client has",
                                schema = @Schema(type = SchemaType.STRING, pattern = "^[0-9]+$"))},
                headers = @Header(name = "Link", description = "RFC 8288 link to the next page, `<url>; rel=\"next\"`; "
                        + "absent on the last page", schema = @Schema(type = SchemaType.STRING))))
package dev.flock.platform;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Contact;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
