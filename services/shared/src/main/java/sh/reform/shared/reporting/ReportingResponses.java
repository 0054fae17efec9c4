package sh.reform.shared.reporting;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import sh.reform.catalog.FieldError;
import sh.reform.shared.reporting.ReportingEngine.ImportResult;
import sh.reform.shared.web.ApiProblemException;

/**
 * The HTTP answers of the reporting services: 202 with where the broker stored the event. A
 * repeated request gets the same body; the header {@code Idempotent-Replayed: true} tells it apart.
 */
public final class ReportingResponses {

    public static final String REPLAYED = "Idempotent-Replayed";

    private ReportingResponses() {
    }

    /** What a client gets for an accepted report. */
    public record Accepted(String status, String eventId, String topic, int partition, long offset) {
        static Accepted of(Receipt r) {
            return new Accepted("accepted", r.eventId(), r.topic(), r.partition(), r.offset());
        }
    }

    /** What a client gets for an accepted batch. */
    public record AcceptedBatch(String status, int count, int duplicates, List<Accepted> receipts) {
    }

    public static ResponseEntity<Accepted> accepted(Receipt r) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(REPLAYED, Boolean.toString(r.duplicate())).body(Accepted.of(r));
    }

    public static ResponseEntity<AcceptedBatch> acceptedBatch(List<Receipt> rs) {
        int dup = (int) rs.stream().filter(Receipt::duplicate).count();
        return ResponseEntity.status(HttpStatus.ACCEPTED).header(REPLAYED, Boolean.toString(dup == rs.size()))
                .body(new AcceptedBatch("accepted", rs.size(), dup, rs.stream().map(Accepted::of).toList()));
    }

    /**
     * 202 with the per-row report when rows were published; otherwise a 400 problem whose
     * {@code errors[].field} is {@code rows[<row number>].<field>}, row numbers as in the sheet.
     */
    public static ResponseEntity<ImportResult> imported(ImportResult r) {
        if (!r.published()) {
            throw ApiProblemException.invalid(r.errors().stream()
                    .map(e -> new FieldError("rows[" + e.row() + "]." + e.field(), "invalid-row", e.messageZh(), e.messageEn()))
                    .toList());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(r);
    }
}
