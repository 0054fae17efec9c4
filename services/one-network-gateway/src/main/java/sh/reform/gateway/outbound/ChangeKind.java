package sh.reform.gateway.outbound;

/**
 * What changed in a cell (a case in a district), for subscription filters: the adoption decision
 * or overall stage, a measure's stage or coverage, the 红黄绿 health, a metric's value; or a supervision
 * notification (督办通知) about the cell. Notifications go only to subscriptions that name
 * {@link #NOTIFICATION}; an empty filter means every change of status, as before.
 */
public enum ChangeKind { STAGE, MEASURE, HEALTH, METRIC, NOTIFICATION }
