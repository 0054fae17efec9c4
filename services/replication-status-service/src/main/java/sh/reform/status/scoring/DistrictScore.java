package sh.reform.status.scoring;

import java.util.List;

/**
 * One district's score with how each point was earned.
 *
 * @param rank      1 first; equal scores share a rank
 * @param score     0–100, two decimals
 * @param parts     each indicator: its value, weight and points, or why it does not apply
 * @param overdue   overdue assigned cells
 * @param penalty   points taken off for them
 * @param formulaZh the sum written out, e.g. "复制覆盖率 0.50×20/100×100=10.00 + … − 逾期 1×5 = 52.50"
 */
public record DistrictScore(int rank, String districtCode, String nameZh, String nameEn, double score, List<Part> parts,
                            int overdue, double penalty, String formulaZh, String formulaEn) {

    /**
     * @param value     the indicator, 0–1; null when it does not apply
     * @param weight    the configured weight
     * @param points    points earned (0 when it does not apply)
     * @param basisZh   what the value was counted from, e.g. "3/15 个案例已复制"
     */
    public record Part(Indicator indicator, String nameZh, String nameEn, Double value, double weight, double points,
                       String basisZh, String basisEn) {
    }

    DistrictScore withRank(int r) {
        return new DistrictScore(r, districtCode, nameZh, nameEn, score, parts, overdue, penalty, formulaZh, formulaEn);
    }
}
