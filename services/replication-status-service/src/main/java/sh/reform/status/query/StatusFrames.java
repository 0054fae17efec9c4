package sh.reform.status.query;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import sh.reform.schema.status.ReplicationStatus;

/**
 * Statuses as instances pass them to each other: a count, then each status in Avro single-object
 * encoding (which names its schema's fingerprint) with its length. Binary and exact, so a forwarded
 * answer is the same record the holding instance read, not a re-parsed JSON view of it.
 */
final class StatusFrames {

    static final String MEDIA_TYPE = "application/vnd.reform.status-frames";

    private StatusFrames() {
    }

    static byte[] write(List<ReplicationStatus> statuses) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(statuses.size());
            for (ReplicationStatus s : statuses) {
                ByteBuffer b = s.toByteBuffer();
                out.writeInt(b.remaining());
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ReplicationStatus> read(byte[] frames) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frames));
            int count = in.readInt();
            List<ReplicationStatus> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] one = new byte[in.readInt()];
                in.readFully(one);
                out.add(ReplicationStatus.fromByteBuffer(ByteBuffer.wrap(one)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable status frames", e);
        }
    }
}
