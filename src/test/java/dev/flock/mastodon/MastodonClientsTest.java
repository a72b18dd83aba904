package dev.flock.mastodon;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Mastodon client libraries from npm (src/test/mastodon-clients: masto 7.12.0 and megalodon 10.0.0, pinned by
 * the committed lockfile and installed with npm ci) against this test run's Flock. Each script registers an app,
 * signs in through the consent form as a browser would, posts, pages the home timeline through Link, follows,
 * receives the followed account's status and its deletion over the user stream (masto with the token as the
 * WebSocket subprotocol, megalodon with access_token in the query; megalodon's script also over server-sent events),
 * deletes and revokes its token; it prints "<library>: ok" and exits 0 when everything held.
 */
@QuarkusTest
class MastodonClientsTest {

    private static final Path CLIENTS = Path.of("src/test/mastodon-clients");

    @BeforeAll
    static void installClients() throws Exception {
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        assertThat(install.exitCode()).as("npm ci failed:%n%s", install.output()).isZero();
    }

    @Test
    void mastoJsWorksAgainstFlock() throws Exception {
        script("masto.mjs", "masto: ok");
    }

    @Test
    void megalodonWorksAgainstFlock() throws Exception {
        script("megalodon.mjs", "megalodon: ok");
    }

    private static void script(String name, String success) throws Exception {
        Result result = run(List.of("node", name), 180);
        System.out.println(result.output());
        assertThat(result.exitCode()).as("%s failed:%n%s", name, result.output()).isZero();
        assertThat(result.output()).contains(success);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("mastodon-clients", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENTS.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("FLOCK_URL", "http://localhost:" + RestAssured.port);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
