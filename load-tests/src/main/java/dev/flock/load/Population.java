package dev.flock.load;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The accounts of one run: authors who post and readers who follow {@code follows} of them each (round-robin, so
 * every author has readers*follows/authors followers). Names carry a run-unique prefix; every account is created and
 * signed in from its own X-Forwarded-For address (Flock believes it from loopback) to stay under the per-address limits.
 */
final class Population {

    record Account(String username, String token) {
    }

    static final String PASSWORD = "load-test-password";

    final List<Account> authors = new ArrayList<>();
    final List<Account> readers = new ArrayList<>();
    /** followees[r] = author indexes reader r follows. */
    final int[][] followees;
    /** followers[a] = reader indexes following author a. */
    final int[][] followers;
    final String prefix;

    Population(Client client, Config config, String prefix) {
        this.prefix = prefix;
        int a = config.integer("authors");
        int r = config.integer("readers");
        int k = Math.min(config.integer("follows"), a);
        followees = new int[r][k];
        List<List<Integer>> fol = new ArrayList<>();
        for (int i = 0; i < a; i++) {
            fol.add(new ArrayList<>());
        }
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < k; j++) {
                int author = (i * k + j) % a;
                followees[i][j] = author;
                fol.get(author).add(i);
            }
        }
        followers = fol.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);

        int total = a + r;
        String[] names = new String[total];
        for (int i = 0; i < total; i++) {
            names[i] = i < a ? prefix + "_a" + i : prefix + "_r" + (i - a);
        }
        int addressBase = ThreadLocalRandom.current().nextInt(1 << 22);
        String[] tokens = new String[total];
        AtomicInteger done = new AtomicInteger();
        long began = System.nanoTime();
        Progress progress = new Progress(() -> String.format("setup: %d/%d accounts created and signed in", done.get(), total));
        try {
            // bcrypt on the server bounds this: a few in flight keep its cores busy.
            Client.await(Client.bounded(client.vertx, total, 8, i -> {
                String xff = address(addressBase + i);
                return client.call(HttpMethod.POST, "/api/accounts", null, Map.of("username", names[i], "password", PASSWORD), xff)
                        .compose(resp -> resp.status() == 201 || resp.status() == 409 ? Future.succeededFuture(resp)
                                : Future.failedFuture("creating " + names[i] + ": " + resp.status() + " " + resp.body()))
                        .compose(x -> client.call(HttpMethod.POST, "/api/sessions", null, Map.of("username", names[i], "password", PASSWORD), xff))
                        .compose(resp -> {
                            if (resp.status() != 200) {
                                return Future.failedFuture("signing in " + names[i] + ": " + resp.status() + " " + resp.body());
                            }
                            tokens[i] = resp.json().get("token").asText();
                            done.incrementAndGet();
                            return Future.succeededFuture();
                        });
            }), 1800);
            progress.line();
            System.out.printf("setup: %d accounts in %.1f s%n", total, (System.nanoTime() - began) / 1e9);
            for (int i = 0; i < total; i++) {
                (i < a ? authors : readers).add(new Account(names[i], tokens[i]));
            }
            AtomicInteger followed = new AtomicInteger();
            int edges = r * k;
            progress.close();
            progress = new Progress(() -> String.format("setup: %d/%d follows", followed.get(), edges));
            Client.await(Client.bounded(client.vertx, edges, 32, e -> {
                Account reader = readers.get(e / k);
                Account author = authors.get(followees[e / k][e % k]);
                return client.call(HttpMethod.PUT, "/api/accounts/" + author.username() + "/follow", reader.token(), null, null)
                        .compose(resp -> {
                            followed.incrementAndGet();
                            return resp.status() == 204 ? Future.succeededFuture()
                                    : Future.failedFuture("follow: " + resp.status() + " " + resp.body());
                        });
            }), 600);
            progress.line();
        } finally {
            progress.close();
        }
    }

    private static String address(int n) {
        n &= 0xFFFFFF;
        return "10." + (n >> 16) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }

    int followersPerAuthor() {
        int max = 0;
        for (int[] f : followers) {
            max = Math.max(max, f.length);
        }
        return max;
    }
}
