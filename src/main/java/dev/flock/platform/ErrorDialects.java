package dev.flock.platform;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Rewords problem+json answers on paths that an {@link ErrorDialect} speaks for; every other path keeps them. */
public class ErrorDialects {

    @Inject
    Instance<ErrorDialect> dialects;

    @ServerResponseFilter
    public void reword(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(response.getEntity() instanceof Problem problem)) {
            return;
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        for (ErrorDialect dialect : dialects) {
            if (dialect.speaks(path)) {
                ErrorDialect.Worded worded = dialect.word(problem);
                response.setStatus(worded.status());
                response.setEntity(worded.body(), null, MediaType.APPLICATION_JSON_TYPE);
                return;
            }
        }
    }
}
