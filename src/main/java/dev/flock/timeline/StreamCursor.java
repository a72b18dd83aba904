package dev.flock.timeline;

import org.apache.kafka.common.Uuid;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * A position in the flock.tweets log, as the server hands it to clients: for every partition, the offset of the next
 * event the client has not been accounted for. Kafka orders events per partition only, so a single number (such as
 * the highest tweet id seen) cannot say what a client has seen; one offset per partition can.
 *
 * <p>Text form: base64url (no padding) of a version byte, the first 8 bytes of the topic's id (the epoch: a recreated
 * topic starts its offsets again, and a cursor from another log must not be read as one of this log), the partition
 * count and the offsets, each as an unsigned LEB128 varint. Eight partitions with offsets in the millions take about
 * 50 characters. Clients treat it as opaque.
 */
public final class StreamCursor {

    private static final int VERSION = 1;

    private final long epochTag;
    private final long[] next;

    private StreamCursor(long epochTag, long[] next) {
        this.epochTag = epochTag;
        this.next = next;
    }

    /** A cursor of the log with this epoch (topic id) at these positions (next offset per partition). */
    public static StreamCursor of(String epoch, long[] next) {
        return new StreamCursor(epochTag(epoch), next.clone());
    }

    public static long epochTag(String epoch) {
        return Uuid.fromString(epoch).getMostSignificantBits();
    }

    /** Reads a cursor's text; a text no server could have issued is rejected. */
    public static StreamCursor parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 2048) {
            throw new Malformed();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Malformed();
        }
        Reader in = new Reader(bytes);
        if (in.readByte() != VERSION) {
            throw new Malformed();
        }
        long epoch = 0;
        for (int i = 0; i < 8; i++) {
            epoch = (epoch << 8) | (in.readByte() & 0xff);
        }
        long count = in.readVarint();
        if (count < 1 || count > 10_000) {
            throw new Malformed();
        }
        long[] next = new long[(int) count];
        for (int p = 0; p < next.length; p++) {
            next[p] = in.readVarint();
        }
        if (!in.atEnd()) {
            throw new Malformed();
        }
        return new StreamCursor(epoch, next);
    }

    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + next.length * 4);
        out.write(VERSION);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (epochTag >>> shift) & 0xff);
        }
        writeVarint(out, next.length);
        for (long offset : next) {
            writeVarint(out, offset);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** Whether this cursor is a position of the log with this epoch and partition count. */
    public boolean belongsTo(String epoch, int partitions) {
        return epochTag == epochTag(epoch) && next.length == partitions;
    }

    /** The next offset per partition (a copy). */
    public long[] positions() {
        return next.clone();
    }

    public long position(int partition) {
        return next[partition];
    }

    public int partitions() {
        return next.length;
    }

    /** Whether every partition of this cursor is at or before the other's (the other has seen at least as much). */
    public boolean notAfter(StreamCursor other) {
        if (epochTag != other.epochTag || next.length != other.next.length) {
            throw new IllegalArgumentException("cursors of different logs cannot be compared");
        }
        for (int p = 0; p < next.length; p++) {
            if (next[p] > other.next[p]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamCursor c && c.epochTag == epochTag && Arrays.equals(c.next, next);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epochTag) * 31 + Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return encode();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("offsets are not negative");
        }
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A cursor text that no server issued: answered 400 at the upgrade. */
    public static final class Malformed extends RuntimeException {
        Malformed() {
            super("not a cursor this server issued", null, false, false);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int readByte() {
            if (at >= bytes.length) {
                throw new Malformed();
            }
            return bytes[at++];
        }

        long readVarint() {
            long value = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = readByte();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new Malformed();
        }

        boolean atEnd() {
            return at == bytes.length;
        }
    }
}
