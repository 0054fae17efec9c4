package sh.reform.status.scoring;

/** What a district is scored on; each is a fraction between 0 and 1. */
public enum Indicator {
    ADOPTION_COVERAGE("复制覆盖率", "adoption coverage"),
    LIVE_RATE("上线率", "live rate"),
    VERIFIED_LIVE_RATE("核实上线率", "verified live rate"),
    TIMELINESS("响应及时性", "timeliness"),
    REVIEW_PASS_RATE("复核通过率", "review pass rate");

    public final String nameZh;
    public final String nameEn;

    Indicator(String nameZh, String nameEn) {
        this.nameZh = nameZh;
        this.nameEn = nameEn;
    }
}
