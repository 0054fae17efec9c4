package sh.reform.gateway.reporting;

import tools.jackson.databind.node.ObjectNode;

/**
 * One report as the reporting service takes it (the same JSON a district clerk would send),
 * with a short label for answers and error messages, e.g. {@code 310113 SH-2023-15/SH-2023-15-K10}.
 */
public record Report(ReportingService service, ObjectNode body, String label) {

    public String eventId() {
        return body.path("eventId").asString();
    }
}
