package sh.reform.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

import sh.reform.schema.catalog.CatalogCase;

/** The content hash of a case: what it says, without its version and attribution. */
public final class CaseHashes {

    private CaseHashes() {
    }

    public static String contentHash(CatalogCase c) {
        CatalogCase bare = CatalogCase.newBuilder(c).setVersion(0).setContentHash("").setChangedBy("")
                .setChangedAt(Instant.EPOCH).build();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<>(CatalogCase.class).write(bare, enc);
            enc.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
