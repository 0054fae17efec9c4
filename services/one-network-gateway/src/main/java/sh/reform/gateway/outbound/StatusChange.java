package sh.reform.gateway.outbound;

import java.util.Set;

/**
 * One change to deliver: the cell it belongs to, what kind of change it is, and the CloudEvent
 * already rendered (structured JSON), so every subscriber gets the same bytes and the same id.
 */
record StatusChange(String cellKey, String caseId, String districtCode, Set<ChangeKind> kinds, String eventId, String cloudEvent) {
}
