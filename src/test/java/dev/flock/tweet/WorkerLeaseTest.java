package dev.flock.tweet;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class WorkerLeaseTest {

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    TweetsConfig config;

    @Inject
    WorkerLease running;

    private WorkerLease another() {
        WorkerLease lease = new WorkerLease();
        lease.pool = pool;
        lease.vertx = vertx;
        lease.config = config;
        lease.acquire().await().atMost(Duration.ofSeconds(10));
        return lease;
    }

    @Test
    void concurrentIdsAcrossTwoLeasesAreUniqueAndOrderedByTime() throws Exception {
        WorkerLease first = another();
        WorkerLease second = another();
        assertThat(Set.of(first.worker(), second.worker(), running.worker())).hasSize(3);

        Instant start = Instant.now().minusMillis(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Callable<List<Long>>> jobs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SnowflakeIds ids = (t % 2 == 0 ? first : second).ids();
            jobs.add(() -> {
                List<Long> made = new ArrayList<>();
                for (int i = 0; i < 25_000; i++) {
                    made.add(ids.next());
                }
                return made;
            });
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> made : threads.invokeAll(jobs)) {
            List<Long> list = made.get();
            for (int i = 1; i < list.size(); i++) {
                assertThat(list.get(i)).isGreaterThan(list.get(i - 1));
            }
            all.addAll(list);
        }
        threads.shutdown();
        Instant end = Instant.now().plusSeconds(1);
        assertThat(all).hasSize(100_000);
        assertThat(all).allSatisfy(id -> assertThat(SnowflakeIds.timeOf(id)).isBetween(start, end));
    }

    @Test
    void aHeldLeaseIsNeverHandedOutAgain() {
        Set<Integer> workers = new HashSet<>();
        workers.add(running.worker());
        for (int i = 0; i < 20; i++) {
            assertThat(workers.add(another().worker())).isTrue();
        }
    }

    @Test
    void renewalKeepsTheLease() {
        WorkerLease lease = another();
        int worker = lease.worker();
        lease.renew().await().atMost(Duration.ofSeconds(10));
        assertThat(lease.worker()).isEqualTo(worker);
        assertThat(lease.ids()).isNotNull();
    }
}
