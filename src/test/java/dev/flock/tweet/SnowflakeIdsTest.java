package dev.flock.tweet;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnowflakeIdsTest {

    @Test
    void idsCarryTimeWorkerAndSequence() {
        long now = Instant.parse("2026-11-24T07:05:12.345Z").toEpochMilli();
        SnowflakeIds ids = new SnowflakeIds(513, () -> now);
        long first = ids.next();
        long second = ids.next();
        assertThat(SnowflakeIds.timeOf(first)).isEqualTo(Instant.ofEpochMilli(now));
        assertThat(SnowflakeIds.workerOf(first)).isEqualTo(513);
        assertThat(second).isEqualTo(first + 1);
        assertThat(SnowflakeIds.firstIdAt(Instant.ofEpochMilli(now))).isLessThanOrEqualTo(first);
        assertThat(SnowflakeIds.firstIdAt(Instant.ofEpochMilli(now + 1))).isGreaterThan(second);
    }

    @Test
    void clockSteppingBackwardsNeverRepeatsOrDecreases() {
        AtomicLong clock = new AtomicLong(Instant.parse("2026-11-24T08:00:00Z").toEpochMilli());
        SnowflakeIds ids = new SnowflakeIds(7, clock::get);
        Set<Long> seen = new HashSet<>();
        long last = -1;
        for (int i = 0; i < 20_000; i++) {
            if (i % 1000 == 999) {
                clock.addAndGet(-5_000);
            } else if (i % 10 == 0) {
                clock.incrementAndGet();
            }
            long id = ids.next();
            assertThat(id).isGreaterThan(last);
            assertThat(seen.add(id)).isTrue();
            last = id;
        }
    }

    @Test
    void sequenceOverflowBorrowsTheNextMillisecond() {
        SnowflakeIds ids = new SnowflakeIds(1, () -> SnowflakeIds.EPOCH_MILLIS + 1000);
        long last = -1;
        for (int i = 0; i < 10_000; i++) {
            long id = ids.next();
            assertThat(id).isGreaterThan(last);
            last = id;
        }
        assertThat(SnowflakeIds.timeOf(last)).isAfter(Instant.ofEpochMilli(SnowflakeIds.EPOCH_MILLIS + 1000));
    }

    @Test
    void workerNumberMustFitTenBits() {
        assertThatThrownBy(() -> new SnowflakeIds(1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnowflakeIds(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
