package sh.reform.status.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.reform.status.fold.Reports.CASE;
import static sh.reform.status.fold.Reports.K1;
import static sh.reform.status.fold.Reports.K2;
import static sh.reform.status.fold.Reports.M1;
import static sh.reform.status.fold.Reports.M2;
import static sh.reform.status.fold.Reports.M3;

import java.util.List;

import org.junit.jupiter.api.Test;

import sh.reform.schema.catalog.CatalogCase;
import sh.reform.schema.catalog.CatalogMeasure;
import sh.reform.status.fold.CatalogView.CaseInfo;
import sh.reform.status.fold.CatalogView.MetricInfo;

class CatalogViewTest {

    @Test
    void givesMeasuresInCatalogOrderAndFirstReferenceFigure() {
        CaseInfo info = Reports.catalog().caseInfo(CASE).orElseThrow();

        assertThat(info.measureIds()).containsExactly(M1, M2, M3);
        assertThat(info.metric(K1)).contains(new MetricInfo(K1, 60.0, "%"));
        assertThat(info.metric(K2)).contains(new MetricInfo(K2, null, "家"));
        assertThat(info.metric("nope")).isEmpty();
    }

    @Test
    void highestVersionOfACaseWins() {
        CatalogCase amended = CatalogCase.newBuilder(Reports.catalogCase())
                .setVersion(2)
                .setMeasures(List.of(CatalogMeasure.newBuilder().setMeasureId(M1).setNameZh("唯一举措").build()))
                .build();

        CatalogView view = CatalogView.of(List.of(amended, Reports.catalogCase()));

        assertThat(view.caseInfo(CASE).orElseThrow().measureIds()).containsExactly(M1);
    }

    @Test
    void unknownCaseIsEmpty() {
        assertThat(Reports.catalog().caseInfo("SH-2099-01")).isEmpty();
    }
}
