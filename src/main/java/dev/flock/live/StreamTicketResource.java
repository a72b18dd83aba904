package dev.flock.live;

import dev.flock.account.TokenIssuer;
import dev.flock.platform.ApiTime;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** Single-use tickets to open a live stream without putting the long-lived token in its URL. */
@Path("/api/stream/tickets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Live stream", description = "Tickets for opening the live stream (the stream itself: /asyncapi.yaml)")
public class StreamTicketResource {

    @RegisterForReflection
    @Schema(description = "A single-use ticket for GET /api/stream?ticket=...")
    public record Ticket(
            @Schema(required = true, description = "Opaque; works once, on any instance", examples = "kW3q0Jb6dQ2mV7a9xY1zT4uR8oP5sL2nC6eF0gH3iJ4") String ticket,
            @Schema(required = true, format = "date-time", description = "Redeem it before this", examples = "2026-11-25T07:05:42.345Z") String expiresAt) {
    }

    @Inject
    JsonWebToken token;

    @Inject
    StreamTickets tickets;

    @POST
    @Authenticated
    @Operation(operationId = "createStreamTicket", summary = "A single-use ticket for opening the live stream",
            description = "Open `GET /api/stream?ticket=<ticket>` within 30 seconds. The stream acts for the caller's token: it "
                    + "closes when that token expires or is signed out. For clients that cannot set the Authorization "
                    + "header on a WebSocket and do not want the token in a URL.")
    @APIResponse(responseCode = "200", description = "The ticket")
    public Uni<Ticket> create() {
        long account = Long.parseLong(token.getSubject());
        return tickets.issue(account, TokenIssuer.sessionOf(token), Instant.ofEpochSecond(token.getExpirationTime()))
                .map(issued -> new Ticket(issued.ticket(), ApiTime.format(issued.expiresAt())));
    }
}
