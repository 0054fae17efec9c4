package sh.reform.supervision;

import sh.reform.schema.common.ReporterRole;
import sh.reform.schema.supervision.Acknowledged;
import sh.reform.schema.supervision.Assigned;
import sh.reform.schema.supervision.ClaimReviewed;
import sh.reform.schema.supervision.Responded;
import sh.reform.schema.supervision.Urged;
import sh.reform.shared.security.ReformPrincipal;
import sh.reform.shared.web.ApiProblemException;

/**
 * The steps of the supervision chain a caller can take through this service, and who takes them:
 * the city office assigns, urges and reviews; the district itself (or an integration client for the
 * districts it is configured for) acknowledges and responds. That the caller may act for the district
 * at all is the reporting path's district check; this is the rule on top of it.
 */
enum SupervisionAction {

    ASSIGN("交办", "assign a case", true),
    ACKNOWLEDGE("签收", "acknowledge an assignment", false),
    URGE("催办", "urge a district", true),
    RESPOND("反馈", "respond to an urge", false),
    REVIEW("复核", "review a claim", true);

    /** The body field the controller sets to tell the reporting kind which step a request is. */
    static final String FIELD = "action";

    final String zh;
    final String en;
    final boolean cityOfficeOnly;

    SupervisionAction(String zh, String en, boolean cityOfficeOnly) {
        this.zh = zh;
        this.en = en;
        this.cityOfficeOnly = cityOfficeOnly;
    }

    /** The step an event's action record stands for. */
    static SupervisionAction of(Object action) {
        if (action instanceof Assigned) {
            return ASSIGN;
        }
        if (action instanceof Acknowledged) {
            return ACKNOWLEDGE;
        }
        if (action instanceof Urged) {
            return URGE;
        }
        if (action instanceof Responded) {
            return RESPOND;
        }
        if (action instanceof ClaimReviewed) {
            return REVIEW;
        }
        throw new IllegalArgumentException("not a supervision action: " + action);
    }

    /** 403 unless the caller's role takes this step (the district itself is checked by the reporting path). */
    void requireAllowed(ReformPrincipal who) {
        if (cityOfficeOnly && !who.isCityOffice()) {
            throw ApiProblemException.forbidden(
                    "只有市营商办可以" + zh + "；" + roleZh(who.role()) + "的令牌不能执行此操作",
                    "only the city office may " + en + "; a token of " + roleEn(who.role()) + " cannot");
        }
        if (!cityOfficeOnly && who.role() != ReporterRole.DISTRICT && who.role() != ReporterRole.INTEGRATION) {
            throw ApiProblemException.forbidden(
                    zh + "由区自己办理（区级用户或受权的对接系统）；" + roleZh(who.role()) + "的令牌不能代区" + zh,
                    "to " + en + " is the district's own act (a district user or an integration client configured for it); a token of "
                            + roleEn(who.role()) + " cannot do it for the district");
        }
    }

    private static String roleZh(ReporterRole role) {
        return switch (role) {
            case CITY_OFFICE -> "市营商办";
            case DISTRICT -> "区级用户";
            case INTEGRATION -> "对接系统";
            default -> "未知角色";
        };
    }

    private static String roleEn(ReporterRole role) {
        return switch (role) {
            case CITY_OFFICE -> "the city office";
            case DISTRICT -> "a district user";
            case INTEGRATION -> "an integration client";
            default -> "an unknown role";
        };
    }
}
