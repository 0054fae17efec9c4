package sh.reform.status.bulletin;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import sh.reform.status.scoring.DistrictScore;

/**
 * A bulletin as tables, one per section, for the .xlsx (a sheet each) and the PDF (a table each): the renderers
 * share the sections, so both files show the same figures.
 */
final class BulletinTables {

    /** How a column's cells are typed. */
    enum Kind { TEXT, INTEGER, RATE, NUMBER, DATE, TIME }

    record Column(String header, Kind kind, float width) {
    }

    record Section(String sheetName, String title, List<Column> columns, List<List<Object>> rows) {
    }

    private BulletinTables() {
    }

    static List<Section> of(Bulletin b) {
        List<Section> out = new ArrayList<>();
        List<List<Object>> summary = new ArrayList<>();
        Bulletin.Rates c = b.city();
        Bulletin.Delta t = b.trend().city();
        summary.add(row("可复制格数 eligible cells", c.eligible(), null));
        summary.add(row("已复制 adopted", c.adopted(), t.adopted()));
        summary.add(row("已上线 live", c.live(), t.live()));
        summary.add(row("核实上线 verified live", c.verifiedLive(), t.verifiedLive()));
        summary.add(row("红灯 red", c.red(), t.red()));
        summary.add(row("逾期 overdue", c.overdue(), t.overdue()));
        summary.add(row("复制率 adoption rate", c.adoptionRate(), t.adoptionRate()));
        summary.add(row("上线率 live rate", c.liveRate(), t.liveRate()));
        summary.add(row("核实上线率 verified live rate", c.verifiedLiveRate(), t.verifiedLiveRate()));
        out.add(new Section("概况", "一、全市概况（较" + b.previousPeriodCode() + "）", List.of(
                col("指标", Kind.TEXT, 3), col("本期", Kind.NUMBER, 1.4f), col("较上期", Kind.NUMBER, 1.4f)), summary));

        out.add(new Section("各区", "二、各区复制推广情况（比学赶超）", List.of(col("名次", Kind.INTEGER, 0.7f), col("区", Kind.TEXT, 1.2f),
                col("可复制", Kind.INTEGER, 0.9f), col("已复制", Kind.INTEGER, 0.9f), col("已上线", Kind.INTEGER, 0.9f),
                col("核实上线", Kind.INTEGER, 0.9f), col("红灯", Kind.INTEGER, 0.7f), col("逾期", Kind.INTEGER, 0.7f),
                col("复制率", Kind.RATE, 1), col("上线率", Kind.RATE, 1), col("核实上线率", Kind.RATE, 1.1f)),
                b.districts().stream().map(d -> List.<Object>of(d.rank(), d.nameZh(), d.rates().eligible(), d.rates().adopted(),
                        d.rates().live(), d.rates().verifiedLive(), d.rates().red(), d.rates().overdue(), rate(d.rates().adoptionRate()),
                        rate(d.rates().liveRate()), rate(d.rates().verifiedLiveRate()))).toList()));

        List<List<Object>> podium = new ArrayList<>();
        b.leaders().forEach(d -> podium.add(List.of("领先 leader", d.rank(), d.nameZh(), rate(d.rates().liveRate()), rate(d.rates().adoptionRate()))));
        b.laggards().forEach(d -> podium.add(List.of("靠后 laggard", d.rank(), d.nameZh(), rate(d.rates().liveRate()), rate(d.rates().adoptionRate()))));
        out.add(new Section("先进与后进", "三、领先与靠后", List.of(col("类别", Kind.TEXT, 1.2f), col("名次", Kind.INTEGER, 0.7f),
                col("区", Kind.TEXT, 1.2f), col("上线率", Kind.RATE, 1), col("复制率", Kind.RATE, 1)), podium));

        out.add(new Section("红灯", "四、红灯及原因", List.of(col("案例", Kind.TEXT, 1), col("案例名称", Kind.TEXT, 3.5f),
                col("区", Kind.TEXT, 1), col("原因", Kind.TEXT, 4)),
                b.redCells().stream().map(r -> List.<Object>of(r.caseId(), r.caseTitleZh(), r.districtNameZh(), nz(r.reasonZh()))).toList()));

        out.add(new Section("逾期", "五、逾期交办事项", List.of(col("案例", Kind.TEXT, 1), col("案例名称", Kind.TEXT, 3.5f),
                col("区", Kind.TEXT, 1), col("截止日期", Kind.DATE, 1.2f), col("逾期天数", Kind.INTEGER, 0.9f), col("已签收", Kind.TEXT, 0.8f)),
                b.overdue().stream().map(o -> Arrays.<Object>asList(o.caseId(), o.caseTitleZh(), o.districtNameZh(), o.dueDate(),
                        o.daysOverdue(), o.acknowledged() ? "是" : "否")).toList()));

        out.add(new Section("催办", "六、催办及反馈", List.of(col("案例", Kind.TEXT, 1), col("区", Kind.TEXT, 1),
                col("催办时间", Kind.TIME, 1.6f), col("催办内容", Kind.TEXT, 3), col("反馈期限", Kind.DATE, 1.1f),
                col("已反馈", Kind.TEXT, 0.8f), col("反馈时间", Kind.TIME, 1.6f)),
                b.urges().stream().map(u -> Arrays.<Object>asList(u.caseId(), u.districtNameZh(), u.urgedAt(), u.message(), u.replyBy(),
                        u.answered() ? "是" : "否", u.respondedAt())).toList()));

        out.add(new Section("退回", "七、复核退回", List.of(col("案例", Kind.TEXT, 1), col("区", Kind.TEXT, 1),
                col("报送事项", Kind.TEXT, 1.6f), col("报送内容", Kind.TEXT, 1.2f), col("复核时间", Kind.TIME, 1.6f), col("退回理由", Kind.TEXT, 3)),
                b.returnedClaims().stream().map(r -> Arrays.<Object>asList(r.caseId(), r.districtNameZh(), r.subject(), r.claim(),
                        r.reviewedAt(), nz(r.reason()))).toList()));

        out.add(new Section("成效", "八、成效数据与首创区参考值", List.of(col("案例", Kind.TEXT, 1), col("区", Kind.TEXT, 1),
                col("指标", Kind.TEXT, 2), col("期间", Kind.TEXT, 1), col("数值", Kind.NUMBER, 1), col("单位", Kind.TEXT, 0.8f),
                col("参考值", Kind.NUMBER, 1), col("为参考值", Kind.RATE, 1)),
                b.outcomes().stream().map(o -> Arrays.<Object>asList(o.caseId(), o.districtNameZh(), o.metricNameZh(), o.period(),
                        o.value(), o.unit(), o.referenceValue(), rate(o.ratio()))).toList()));

        out.add(new Section("考核", "九、量化考核得分", List.of(col("名次", Kind.INTEGER, 0.7f), col("区", Kind.TEXT, 1),
                col("得分", Kind.NUMBER, 0.9f), col("逾期扣分", Kind.NUMBER, 0.9f), col("计分方法", Kind.TEXT, 6.5f)),
                b.scores().stream().map(s -> List.<Object>of(s.rank(), s.nameZh(), s.score(), s.penalty(), s.formulaZh())).toList()));

        List<List<Object>> breakdown = new ArrayList<>();
        for (DistrictScore s : b.scores()) {
            for (DistrictScore.Part p : s.parts()) {
                breakdown.add(Arrays.asList(s.nameZh(), p.nameZh(), p.value() == null ? null : rate(p.value()), p.weight(), p.points(), p.basisZh()));
            }
        }
        out.add(new Section("得分明细", "十、得分明细", List.of(col("区", Kind.TEXT, 1), col("指标", Kind.TEXT, 1.3f),
                col("取值", Kind.RATE, 1), col("权重", Kind.NUMBER, 0.8f), col("得分", Kind.NUMBER, 0.8f), col("依据", Kind.TEXT, 4)), breakdown));

        out.add(new Section("趋势", "十一、各区较上期变化", List.of(col("区", Kind.TEXT, 1), col("名次变化", Kind.INTEGER, 0.9f),
                col("复制率变化", Kind.RATE, 1.1f), col("上线率变化", Kind.RATE, 1.1f), col("核实上线率变化", Kind.RATE, 1.3f),
                col("新增已复制", Kind.INTEGER, 1), col("新增上线", Kind.INTEGER, 1), col("得分变化", Kind.NUMBER, 1)),
                b.trend().districts().stream().map(d -> Arrays.<Object>asList(d.nameZh(), d.rankChange(), rate(d.delta().adoptionRate()),
                        rate(d.delta().liveRate()), rate(d.delta().verifiedLiveRate()), d.delta().adopted(), d.delta().live(),
                        d.scoreChange())).toList()));
        return out;
    }

    /** A rate, kept apart from plain numbers so the .xlsx formats it as a percentage. */
    record Rate(double value) {
    }

    private static Object rate(Double v) {
        return v == null ? null : new Rate(v);
    }

    private static List<Object> row(String name, Object value, Object change) {
        Object v = value instanceof Double d ? rate(d) : value;
        Object ch = change instanceof Double d ? rate(d) : change;
        return Arrays.asList(name, v, ch);
    }

    private static Column col(String header, Kind kind, float width) {
        return new Column(header, kind, width);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Text of a cell for the PDF. */
    static String text(Object v) {
        if (v == null) {
            return "—";
        }
        if (v instanceof Rate r) {
            return String.format(java.util.Locale.ROOT, "%.1f%%", r.value() * 100);
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e12 ? Long.toString(d.longValue()) : String.format(java.util.Locale.ROOT, "%.2f", d);
        }
        if (v instanceof OffsetDateTime t) {
            return t.toLocalDate() + " " + String.format("%02d:%02d", t.getHour(), t.getMinute());
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        return v.toString();
    }
}
