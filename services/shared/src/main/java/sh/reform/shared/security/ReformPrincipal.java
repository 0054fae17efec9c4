package sh.reform.shared.security;

import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.jwt.Jwt;

import sh.reform.schema.common.Reporter;
import sh.reform.schema.common.ReporterRole;

/**
 * Who is calling, as the token says: a district reporter (for its own district only), the city
 * office (any district), or an integration client (the districts it is configured for).
 *
 * <p>Token claims: {@code sub}, {@code role} (DISTRICT, CITY_OFFICE, INTEGRATION),
 * {@code district} (GB/T 2260 code, for DISTRICT), {@code districts} (list, for INTEGRATION; "*" = all),
 * {@code agency}.
 */
public record ReformPrincipal(String name, ReporterRole role, String district, Set<String> districts, String agency) {

    public static final String CLAIM_ROLE = "role";
    public static final String CLAIM_DISTRICT = "district";
    public static final String CLAIM_DISTRICTS = "districts";
    public static final String CLAIM_AGENCY = "agency";

    public static ReformPrincipal of(Jwt jwt) {
        ReporterRole role;
        try {
            role = ReporterRole.valueOf(String.valueOf(jwt.getClaimAsString(CLAIM_ROLE)));
        } catch (IllegalArgumentException e) {
            role = ReporterRole.UNKNOWN;
        }
        List<String> ds = jwt.hasClaim(CLAIM_DISTRICTS) ? jwt.getClaimAsStringList(CLAIM_DISTRICTS) : List.of();
        return new ReformPrincipal(jwt.getSubject(), role, jwt.getClaimAsString(CLAIM_DISTRICT),
                ds == null ? Set.of() : Set.copyOf(ds), jwt.getClaimAsString(CLAIM_AGENCY));
    }

    /** Whether this principal may report for the district. */
    public boolean mayReportFor(String districtCode) {
        return switch (role) {
            case CITY_OFFICE -> true;
            case DISTRICT -> district != null && district.equals(districtCode);
            case INTEGRATION -> districts.contains("*") || districts.contains(districtCode);
            default -> false;
        };
    }

    public boolean isCityOffice() {
        return role == ReporterRole.CITY_OFFICE;
    }

    /** The reporter recorded in events. */
    public Reporter toReporter() {
        return Reporter.newBuilder().setPrincipal(name).setAgency(agency).setRole(role).build();
    }
}
