package dev.flock.platform;

import dev.flock.testing.ServedDocuments;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API documents as this instance serves them pass their linters: the OpenAPI document (/q/openapi) under
 * {@code redocly lint} with the recommended rules (src/test/contract/redocly.yaml says which are off and why), the
 * AsyncAPI document (/asyncapi.yaml) under {@code @asyncapi/parser}, with no error and no warning. The linters are
 * the npm packages pinned in src/test/contract/package-lock.json, installed with {@code npm ci} when missing or stale.
 */
@QuarkusTest
class ApiDocumentsTest {

    private static final Path TOOLS = Path.of("src", "test", "contract");
    private static final Path OUT = Path.of("target", "contract");

    @BeforeAll
    static void installLinters() throws Exception {
        Path installed = TOOLS.resolve("node_modules").resolve(".package-lock.json");
        FileTime locked = Files.getLastModifiedTime(TOOLS.resolve("package-lock.json"));
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(locked) < 0) {
            Run npm = run(List.of("npm", "ci"), 300);
            assertThat(npm.exit).as("npm ci in %s:%n%s", TOOLS, npm).isZero();
        }
        Files.createDirectories(OUT);
    }

    @Test
    void servedOpenApiDocumentPassesRedoclyLintWithoutWarnings() throws Exception {
        Path document = OUT.resolve("openapi.yaml");
        Files.writeString(document, ServedDocuments.text(RestAssured.port, ServedDocuments.OPENAPI));
        Run lint = run(List.of("node_modules/.bin/redocly", "lint", "--config", "redocly.yaml", "--format", "json",
                relative(document)), 120);
        assertThat(lint.exit).as("%s", lint).isZero();
        JsonObject totals = new JsonObject(lint.output.substring(lint.output.indexOf('{'))).getJsonObject("totals");
        assertThat(totals.getInteger("errors")).as("%s", lint).isZero();
        assertThat(totals.getInteger("warnings")).as("%s", lint).isZero();
    }

    @Test
    void servedAsyncApiDocumentIsTheCommittedOneAndValid() throws Exception {
        String served = ServedDocuments.text(RestAssured.port, ServedDocuments.ASYNCAPI);
        assertThat(served).isEqualTo(Files.readString(Path.of("docs", "asyncapi.yaml")));
        Path document = OUT.resolve("asyncapi.yaml");
        Files.writeString(document, served);
        Run validate = run(List.of("node", "validate-asyncapi.mjs", relative(document)), 120);
        assertThat(validate.exit).as("%s", validate).isZero();
        assertThat(validate.output).contains("0 errors, 0 warnings");
    }

    private record Run(int exit, String output, String errors) {
        @Override
        public String toString() {
            return output + errors;
        }
    }

    private static String relative(Path file) {
        return TOOLS.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
    }

    /** Runs a command in src/test/contract; npm's and Redocly's update and telemetry calls are switched off. */
    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Path errors = OUT.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(TOOLS.toFile())
                .redirectError(ProcessBuilder.Redirect.to(errors.toFile()));
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        builder.environment().put("NO_UPDATE_NOTIFIER", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("The contract checks need Node.js 20.19+ and npm (.ci/run installs them): " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " took longer than " + timeoutSeconds + " s");
        }
        return new Run(process.exitValue(), output, Files.readString(errors));
    }
}
