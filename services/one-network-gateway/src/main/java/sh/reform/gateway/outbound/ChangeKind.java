package sh.reform.gateway.outbound;

/**
 * What changed in a cell (a case in a district), for subscription filters: the adoption decision
 * or overall stage, a measure's stage or coverage, the 红黄绿 health, a metric's value.
 */
public enum ChangeKind { STAGE, MEASURE, HEALTH, METRIC }
