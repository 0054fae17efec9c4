package sh.reform.notify.topology;

import sh.reform.schema.supervision.Follow;
import sh.reform.schema.supervision.Notification;

/** Keys of the follows table and what a follow covers. */
public final class Follows {

    private Follows() {
    }

    /** {@code principal|CASE:SH-2023-03}, {@code principal|DISTRICT:310116}, {@code principal|CELL:SH-2023-03|310116}. */
    public static String key(String principal, String caseId, String districtCode) {
        return principal + "|" + target(caseId, districtCode);
    }

    public static String target(String caseId, String districtCode) {
        if (caseId != null && districtCode != null) {
            return "CELL:" + caseId + "|" + districtCode;
        }
        return caseId != null ? "CASE:" + caseId : "DISTRICT:" + districtCode;
    }

    /** The key prefix of one principal's follows. */
    public static String prefix(String principal) {
        return principal + "|";
    }

    /** Whether the follow covers the notification's case or district. */
    public static boolean covers(Follow f, Notification n) {
        boolean caseOk = f.getCaseId() == null || f.getCaseId().equals(n.getCaseId());
        boolean districtOk = f.getDistrictCode() == null || f.getDistrictCode().equals(n.getDistrictCode());
        return (f.getCaseId() != null || f.getDistrictCode() != null) && caseOk && districtOk;
    }
}
