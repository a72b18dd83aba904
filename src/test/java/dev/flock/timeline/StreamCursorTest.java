package dev.flock.timeline;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCursorTest {

    private static final String EPOCH = Uuid.randomUuid().toString();

    @Test
    void encodesCompactlyAndReadsBackTheSamePositions() {
        long[] positions = {0, 1, 127, 128, 16_383, 16_384, 3_000_000, Long.MAX_VALUE / 2};
        StreamCursor cursor = StreamCursor.of(EPOCH, positions);
        String text = cursor.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+");
        StreamCursor read = StreamCursor.parse(text);
        assertThat(read).isEqualTo(cursor);
        assertThat(read.positions()).containsExactly(positions);
        assertThat(read.belongsTo(EPOCH, positions.length)).isTrue();
        // Eight partitions at offsets in the millions: about 50 characters.
        assertThat(StreamCursor.of(EPOCH, new long[]{1_200_000, 3_400_000, 2_100_000, 900_000, 4_000_000, 1_000, 2_500_000, 3_300_000})
                .encode()).hasSizeLessThanOrEqualTo(52);
    }

    @Test
    void theCursorIsACopyNotAViewOfThePositions() {
        long[] positions = {5, 6};
        StreamCursor cursor = StreamCursor.of(EPOCH, positions);
        positions[0] = 99;
        cursor.positions()[1] = 99;
        assertThat(cursor.positions()).containsExactly(5, 6);
    }

    @Test
    void comparesPartitionByPartition() {
        StreamCursor low = StreamCursor.of(EPOCH, new long[]{1, 5});
        StreamCursor high = StreamCursor.of(EPOCH, new long[]{2, 5});
        StreamCursor crossed = StreamCursor.of(EPOCH, new long[]{3, 4});
        assertThat(low.notAfter(high)).isTrue();
        assertThat(high.notAfter(low)).isFalse();
        assertThat(low.notAfter(low)).isTrue();
        // Neither has seen everything the other has: positions of a log are only partially ordered.
        assertThat(high.notAfter(crossed)).isFalse();
        assertThat(crossed.notAfter(high)).isFalse();
    }

    @Test
    void aCursorOfAnotherEpochOrPartitionCountDoesNotBelongToThisLog() {
        StreamCursor cursor = StreamCursor.of(EPOCH, new long[]{1, 2, 3});
        assertThat(cursor.belongsTo(Uuid.randomUuid().toString(), 3)).isFalse();
        assertThat(cursor.belongsTo(EPOCH, 4)).isFalse();
        assertThatThrownBy(() -> cursor.notAfter(StreamCursor.of(Uuid.randomUuid().toString(), new long[]{1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cursor.notAfter(StreamCursor.of(EPOCH, new long[]{1, 2})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textNoServerIssuedIsMalformed() {
        String valid = StreamCursor.of(EPOCH, new long[]{7, 8}).encode();
        byte[] bytes = Base64.getUrlDecoder().decode(valid);
        byte[] wrongVersion = bytes.clone();
        wrongVersion[0] = 2;
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        for (String text : new String[]{"", "banana!", "AQ", "%%%", "x".repeat(3000), enc(wrongVersion), enc(trailing), enc(truncated),
                enc(new byte[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0}), enc(new byte[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff})}) {
            assertThatThrownBy(() -> StreamCursor.parse(text)).as(text).isInstanceOf(StreamCursor.Malformed.class);
        }
        assertThatThrownBy(() -> StreamCursor.parse(null)).isInstanceOf(StreamCursor.Malformed.class);
    }

    private static String enc(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
