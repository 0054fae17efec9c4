package sh.reform.status.query;

import java.time.OffsetDateTime;
import java.util.List;

import sh.reform.status.rollup.CaseRollup;

/** One case in every district, with its rollup. */
public record CaseStatusView(String caseId, String batchId, int rank, String titleZh, String titleEn,
                             String originDistrict, String originNameZh, OffsetDateTime asOf,
                             List<CellSummary> districts, CaseRollup rollup) {
}
