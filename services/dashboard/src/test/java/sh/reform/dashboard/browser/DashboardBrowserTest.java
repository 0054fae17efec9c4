package sh.reform.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;

/**
 * Issue 7, done when: the dashboard in Debian's Chromium against the whole platform (real broker and
 * registry, the five services from their jars, the dashboard itself on a random port). Screenshots go to
 * {@code target/screenshots}. Skipped, with the reason, when the services are not built (module built
 * alone) or Chromium is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "reform.dashboard.demo=false")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final List<String> SHANGHAI_DISTRICTS = List.of("310101", "310104", "310105", "310106", "310107", "310109",
            "310110", "310112", "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151");
    static final String CLERK_DISTRICT = SeedReports.QUIET_DISTRICT;
    static final Map<String, String> STAGE_LABELS = Map.of("NOT_STARTED", "未开始", "PLANNED", "拟复制", "ADOPTED", "已采纳",
            "ROLLING_OUT", "推进中", "LIVE", "已上线", "EVALUATED", "已评估成效", "PAUSED", "已暂停", "WITHDRAWN", "已撤回",
            "ORIGIN", "首创区");

    static RunningPlatform platform;
    static ChromeDriver browser;
    static Path screenshots = Path.of(System.getProperty("reform.screenshots", "target/screenshots"));
    static Path downloads;

    @LocalServerPort
    int port;

    /** On a failure, what the browser showed: a screenshot and the page's console errors. */
    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                Chromium.screenshot(browser, screenshots, "FAILED-" + context.getRequiredTestMethod().getName());
                System.out.println("[dashboard-it] console errors: " + Chromium.consoleErrors(browser));
            }
            if (platform != null) {
                platform.dumpThreads();
            }
        }
    };

    /** Why the browser tests cannot run here, or null; each test is then reported skipped with it. */
    static String skipReason;

    @BeforeAll
    static void platformAndBrowser() throws IOException {
        List<String> missing = RunningPlatform.missingJars();
        if (!missing.isEmpty()) {
            skipReason = "浏览器测试跳过 / browser tests skipped: the services are not built " + missing
                    + " — run the whole reactor (mvn -B verify) so that services/<name>/target/<name>.jar exist";
        } else if (!Chromium.installed()) {
            skipReason = "浏览器测试跳过 / browser tests skipped: no " + Chromium.BROWSER + " or " + Chromium.DRIVER
                    + " — deploy/local/install-browser installs them (as root)";
        }
        if (skipReason != null) {
            System.err.println("[dashboard-it] " + skipReason);
            return;
        }
        platform = RunningPlatform.start();
        int started = SeedReports.send(platform);
        awaitStatus(m -> startedCells(m) >= started, Duration.ofSeconds(30));
        downloads = Files.createTempDirectory("dashboard-downloads-");
        browser = Chromium.start(downloads, 1366, 768);
    }

    @BeforeEach
    void skipWithoutPlatformOrBrowser() {
        assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @DynamicPropertySource
    static void platformApis(DynamicPropertyRegistry registry) {
        registry.add("reform.dashboard.apis.catalog", () -> urlOf("catalog-service"));
        registry.add("reform.dashboard.apis.adoption", () -> urlOf("case-adoption-service"));
        registry.add("reform.dashboard.apis.rollout", () -> urlOf("measure-rollout-service"));
        registry.add("reform.dashboard.apis.outcome", () -> urlOf("outcome-reporting-service"));
        registry.add("reform.dashboard.apis.status", () -> urlOf("replication-status-service"));
        registry.add("reform.dashboard.apis.supervision", () -> urlOf("supervision-service"));
        registry.add("reform.dashboard.apis.notifications", () -> urlOf("notification-service"));
    }

    /** Where a service listens; a closed port when the tests are skipped (the dashboard still starts). */
    private static String urlOf(String service) {
        return platform == null ? "http://127.0.0.1:9" : platform.url(service);
    }

    @Test
    @Order(1)
    void matrixShowsTheTwentyCasesOf2023AgainstTheSixteenDistricts() {
        openMatrix();
        List<String> caseIds = js("return [...document.querySelectorAll('#matrix-table tbody tr')].map(tr => tr.dataset.case)");
        List<String> districts = js("return [...document.querySelectorAll('#matrix-table thead th.district-col')].map(th => th.dataset.district)");
        assertThat(caseIds).hasSize(20).containsExactlyElementsOf(
                Stream.iterate(1, i -> i + 1).limit(20).map(i -> String.format("SH-2023-%02d", i)).toList());
        assertThat(districts).containsExactlyElementsOf(SHANGHAI_DISTRICTS);
        assertThat(browser.findElements(By.cssSelector("#matrix-table tbody td.cell"))).hasSize(20 * 16);
        // every case has exactly one origin district, shown as such
        assertThat(browser.findElements(By.cssSelector("#matrix-table tbody td.cell[data-stage=ORIGIN]"))).hasSize(20);
        // the seeded reports show: colours other than "not started", and red cells
        assertThat(browser.findElements(By.cssSelector("#matrix-table td.cell[data-stage=LIVE]"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#matrix-table td.cell[data-stage=EVALUATED]"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#matrix-table td.cell[data-health=YELLOW]"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#matrix-table td.cell[data-health=RED]"))).isNotEmpty();
        assertThat(Chromium.consoleErrors(browser)).isEmpty();
        Chromium.screenshot(browser, screenshots, "01-matrix-1366x768");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1600, 1300));
        Chromium.screenshot(browser, screenshots, "01-matrix-full");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 768));
    }

    @Test
    @Order(2)
    void languageSwitchTurnsThePageIntoEnglishAndBack() {
        openMatrix();
        assertThat(browser.findElement(By.id("nav-matrix")).getText()).isEqualTo("复制矩阵");
        browser.findElement(By.id("lang-switch")).click();
        waitUntil(() -> "Matrix".equals(browser.findElement(By.id("nav-matrix")).getText())
                && !browser.findElements(By.cssSelector("#matrix-table tbody tr")).isEmpty());
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.cssSelector("#page h1")).getText()).isEqualTo("Replication matrix");
        assertThat(browser.findElement(By.id("export-matrix-xlsx")).getText()).contains("Export Excel");
        assertThat(browser.findElement(By.cssSelector("#matrix-table td.cell[data-stage=ORIGIN] .cell-stage")).getText()).isEqualTo("Origin");
        assertThat(browser.findElement(By.cssSelector("#matrix-table tbody tr .case-title")).getText()).doesNotContainPattern("\\p{IsHan}");
        Chromium.screenshot(browser, screenshots, "02-matrix-english");

        browser.findElement(By.id("lang-switch")).click();
        waitUntil(() -> "复制矩阵".equals(browser.findElement(By.id("nav-matrix")).getText())
                && !browser.findElements(By.cssSelector("#matrix-table tbody tr")).isEmpty());
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh-CN");
        assertThat(browser.findElement(By.cssSelector("#page h1")).getText()).isEqualTo("复制矩阵");
    }

    @Test
    @Order(3)
    void badEntryShowsTheServicesFieldMessageBesideTheFieldAndPublishesNothing() {
        signInAsClerk();
        open(url("/#/workspace/adoption"));
        WebElement form = waitFor(By.id("form-adoption"));
        String caseId = new Select(form.findElement(By.name("caseId"))).getFirstSelectedOption().getDomAttribute("value");
        setValue(form.findElement(By.name("targetDate")), "2018-05-01");
        form.findElement(By.id("submit-adoption")).click();

        WebElement error = waitFor(By.cssSelector("#form-adoption .field-error[data-error-for=targetDate]"), e -> !e.getText().isBlank());
        assertThat(error.getText()).contains("目标日期早于 2019 年"); // the adoption service's own words
        WebElement field = error.findElement(By.xpath("./ancestor::div[contains(@class,'field')][1]"));
        assertThat(field.findElement(By.name("targetDate")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("result-adoption")).getDomAttribute("class")).contains("error");
        Chromium.screenshot(browser, screenshots, "03-field-error-adoption");

        open(url("/#/workspace/rollout"));
        WebElement rollout = waitFor(By.id("form-rollout"));
        rollout.findElement(By.name("coverage.covered")).sendKeys("40");
        rollout.findElement(By.name("coverage.total")).sendKeys("30");
        rollout.findElement(By.name("coverage.unit")).sendKeys("楼宇");
        rollout.findElement(By.id("submit-rollout")).click();
        WebElement coverageError = waitFor(By.cssSelector("#form-rollout .field-error[data-error-for='coverage.covered']"), e -> !e.getText().isBlank());
        assertThat(coverageError.getText()).contains("不能大于总数");
        Chromium.screenshot(browser, screenshots, "03-field-error-rollout");

        // refused requests published nothing: the clerk's district still has no events for the case
        JsonNode cell = SeedReports.get(platform.url("replication-status-service") + "/api/v1/status/cells/" + caseId + "/" + CLERK_DISTRICT);
        assertThat(cell.get("eventCount").asLong()).isZero();
    }

    @Test
    @Order(4)
    void clerksSubmissionAppearsInTheOpenMatrixWithinTwoSecondsWithoutReload() {
        openMatrix();
        String matrixWindow = browser.getWindowHandle();
        String caseId = js("return document.querySelector(`#matrix-table td.cell[data-district='" + CLERK_DISTRICT
                + "'][data-stage=NOT_STARTED]`).dataset.case");
        js("window.__sameDocument = 'not reloaded'; return null");
        waitUntil(() -> "on".equals(browser.findElement(By.id("live-indicator")).getDomAttribute("data-state")));

        browser.switchTo().newWindow(WindowType.WINDOW);
        signInAsClerk();
        open(url("/#/workspace/adoption"));
        WebElement form = waitFor(By.id("form-adoption"));
        new Select(form.findElement(By.name("caseId"))).selectByValue(caseId);
        new Select(form.findElement(By.name("decision"))).selectByValue("ADOPTED");
        setValue(form.findElement(By.name("targetDate")), LocalDate.now(SeedReports.SHANGHAI).plusMonths(8).toString());
        form.findElement(By.id("submit-adoption")).click();
        WebElement accepted = waitFor(By.cssSelector("#result-adoption.ok"));
        long acceptedAt = Long.parseLong(accepted.getDomAttribute("data-accepted-at"));
        Chromium.screenshot(browser, screenshots, "04-clerk-adoption-accepted");
        browser.close();

        browser.switchTo().window(matrixWindow);
        By cell = By.cssSelector("#matrix-table td.cell[data-case='" + caseId + "'][data-district='" + CLERK_DISTRICT + "']");
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> "ADOPTED".equals(d.findElement(cell).getDomAttribute("data-stage")));
        long updatedAt = Long.parseLong(browser.findElement(cell).getDomAttribute("data-updated-at"));
        System.out.printf("[dashboard-it] the clerk's adoption reached the open matrix %d ms after the 202%n", updatedAt - acceptedAt);
        assertThat(updatedAt - acceptedAt).as("ms from the 202 to the repainted cell").isLessThanOrEqualTo(2000);
        assertThat((String) js("return window.__sameDocument")).isEqualTo("not reloaded");
        Chromium.screenshot(browser, screenshots, "04-matrix-updated-live");
    }

    @Test
    @Order(5)
    void excelExportDownloadsTypedCellsEqualToTheMatrixOnScreen() throws Exception {
        openMatrix();
        Map<String, String> onScreen = new HashMap<>();
        List<List<String>> cells = js("return [...document.querySelectorAll('#matrix-table td.cell')]"
                + ".map(td => [td.dataset.case, td.dataset.district, td.dataset.stage])");
        cells.forEach(c -> onScreen.put(c.get(0) + "|" + c.get(1), STAGE_LABELS.get(c.get(2))));
        assertThat(onScreen).hasSize(320);

        browser.findElement(By.id("export-matrix-xlsx")).click();
        Path xlsx = awaitDownload(".xlsx");
        try (InputStream in = Files.newInputStream(xlsx); Workbook book = new XSSFWorkbook(in)) {
            Sheet detail = book.getSheet("矩阵明细");
            Row header = detail.getRow(0);
            assertThat(header.getCell(0).getStringCellValue()).isEqualTo("案例编号");
            Map<String, Integer> columns = new HashMap<>();
            header.forEach(c -> columns.put(c.getStringCellValue(), c.getColumnIndex()));
            assertThat(columns).containsKeys("排名", "区代码", "阶段", "已上线举措", "进度", "最近报送");
            assertThat(detail.getLastRowNum()).isEqualTo(320);
            Map<String, String> inFile = new HashMap<>();
            int dated = 0;
            for (int r = 1; r <= detail.getLastRowNum(); r++) {
                Row row = detail.getRow(r);
                inFile.put(row.getCell(0).getStringCellValue() + "|" + row.getCell(columns.get("区代码")).getStringCellValue(),
                        row.getCell(columns.get("阶段")).getStringCellValue());
                assertThat(row.getCell(columns.get("排名")).getCellType()).isEqualTo(CellType.NUMERIC);
                assertThat(row.getCell(columns.get("已上线举措")).getCellType()).isEqualTo(CellType.NUMERIC);
                Cell last = row.getCell(columns.get("最近报送"));
                if (last != null) {
                    assertThat(last.getCellType()).isEqualTo(CellType.NUMERIC);
                    assertThat(DateUtil.isCellDateFormatted(last)).isTrue();
                    dated++;
                }
            }
            assertThat(inFile).isEqualTo(onScreen);
            assertThat(dated).isGreaterThan(20);
            Sheet grid = book.getSheet("矩阵");
            assertThat(grid.getLastRowNum()).isEqualTo(20);
            assertThat(grid.getRow(0).getCell(3).getStringCellValue()).isEqualTo("黄浦区");
        }

        browser.findElement(By.id("export-matrix-csv")).click();
        Path csv = awaitDownload(".csv");
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF案例编号,排名,");
        assertThat(text.split("\r\n")).hasSize(321);

        // the case report, live and as of yesterday (before any report: every district not started)
        try (Workbook book = new XSSFWorkbook(download("/export/cases/SH-2023-06.xlsx"))) {
            assertThat(book.getSheetName(0)).isEqualTo("案例概况");
            assertThat(book.getSheet("各区状态").getLastRowNum()).isEqualTo(16);
            assertThat(book.getSheet("案例概况").getRow(1).getCell(2).getCellType()).isEqualTo(CellType.NUMERIC);
        }
        String yesterday = LocalDate.now(SeedReports.SHANGHAI).minusDays(1).toString();
        try (Workbook book = new XSSFWorkbook(download("/export/matrix.xlsx?batch=SH-2023&asOf=" + yesterday))) {
            Sheet detail = book.getSheet("矩阵明细");
            for (int r = 1; r <= detail.getLastRowNum(); r++) {
                assertThat(detail.getRow(r).getCell(8).getStringCellValue()).isIn("未开始", "首创区");
            }
        }
    }

    private InputStream download(String path) throws IOException, InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url(path))).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("spreadsheetml"));
        return new java.io.ByteArrayInputStream(response.body());
    }

    @Test
    @Order(6)
    void everyPageRendersLiveAndAsOfAPastDateWithoutBrowserErrors() {
        Chromium.consoleErrors(browser);
        page("/#/overview", By.cssSelector("#ranking-table tbody tr"), "05-overview");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1920, 1080));
        sleep(800);
        Chromium.screenshot(browser, screenshots, "05-overview-wall-1920x1080");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1366, 768));
        assertThat(browser.findElements(By.cssSelector("#ranking-table tbody tr"))).hasSize(16);
        assertThat(browser.findElement(By.id("kpi-replication")).getText()).endsWith("%");
        page("/#/case/SH-2023-01", By.cssSelector("#measures-table tbody tr"), "06-case");
        assertThat(browser.findElements(By.cssSelector("#case-districts .chip"))).hasSize(16);
        page("/#/district/" + CLERK_DISTRICT, By.id("district-title"), "07-district");
        page("/#/alerts", By.id("warnings-table"), "08-alerts");
        page("/#/feed", By.id("feed-list"), "09-feed");
        page("/#/workspace/outcome", By.id("form-outcome"), "10-workspace-outcome");

        openMatrix();
        browser.findElement(By.cssSelector("#matrix-table td.cell[data-stage=LIVE]")).click();
        waitFor(By.cssSelector("#drawer #cell-history li"));
        Chromium.screenshot(browser, screenshots, "11-cell-history");
        browser.findElement(By.id("drawer-close")).click();

        // As of yesterday nothing had been reported yet: every cell not started, live updates paused.
        String yesterday = LocalDate.now(SeedReports.SHANGHAI).minusDays(1).toString();
        js("const i = document.getElementById('asof-input'); i.value = arguments[0];"
                + " i.dispatchEvent(new Event('change', {bubbles: true})); return null", yesterday);
        waitFor(By.id("asof-banner"));
        waitUntil(() -> browser.findElements(By.cssSelector("#matrix-table tbody tr")).size() == 20);
        assertThat(browser.findElements(By.cssSelector("#matrix-table td.cell:not([data-stage=ORIGIN]):not([data-stage=NOT_STARTED])"))).isEmpty();
        assertThat(browser.findElement(By.id("live-indicator")).getDomAttribute("data-state")).isEqualTo("paused");
        Chromium.screenshot(browser, screenshots, "12-matrix-as-of-yesterday");
        browser.findElement(By.id("asof-live")).click();
        waitUntil(() -> !browser.findElements(By.cssSelector("#matrix-table td.cell[data-stage=LIVE]")).isEmpty());
        assertThat(Chromium.consoleErrors(browser)).isEmpty();
    }

    @Test
    @Order(7)
    void clerkImportsAnExcelFileAndSeesTheRowThatWasRefused() throws Exception {
        JsonNode matrix = SeedReports.get(platform.url("replication-status-service") + "/api/v1/status/matrix?batch=SH-2023");
        List<String> fresh = new java.util.ArrayList<>();
        for (JsonNode row : matrix.get("cases")) {
            for (JsonNode cell : row.get("cells")) {
                if (cell.get("districtCode").asString().equals(CLERK_DISTRICT) && !cell.get("origin").asBoolean()
                        && "NOT_STARTED".equals(cell.get("stage").asString()) && fresh.size() < 3) {
                    fresh.add(row.get("caseId").asString());
                }
            }
        }
        Path file = Files.createTempDirectory("dashboard-upload-").resolve("崇明区复制决定.xlsx");
        try (XSSFWorkbook book = new XSSFWorkbook()) {
            Sheet sheet = book.createSheet("复制决定");
            String[][] rows = {
                    {"案例编号", "区代码", "发生时间", "决定", "牵头单位", "目标日期"},
                    {fresh.get(0), CLERK_DISTRICT, "2026-11-01", "ADOPTED", "崇明区发展改革委", "2027-06-30"},
                    {fresh.get(1), CLERK_DISTRICT, "2026-11-01", "INTENDS", "崇明区市场监管局", "2027-09-30"},
                    {fresh.get(2), CLERK_DISTRICT, "2026-11-01", "ADOPTED", "崇明区司法局", "2018-01-01"}};
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            try (var out = Files.newOutputStream(file)) {
                book.write(out);
            }
        }

        signInAsClerk();
        open(url("/#/workspace/import"));
        WebElement form = waitFor(By.id("form-import"));
        new Select(form.findElement(By.name("kind"))).selectByValue("adoption");
        new Select(form.findElement(By.name("mode"))).selectByValue("VALID_ONLY");
        form.findElement(By.name("file")).sendKeys(file.toAbsolutePath().toString());
        form.findElement(By.id("submit-import")).click();

        WebElement result = waitFor(By.cssSelector("#result-import.ok"));
        assertThat(result.getText()).contains("已导入 2 行").contains("有误 1 行");
        List<WebElement> refused = browser.findElements(By.cssSelector("#import-row-errors tbody tr"));
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).getText()).contains("4").contains("targetDate").contains("2019");
        Chromium.screenshot(browser, screenshots, "13-excel-import");

        awaitStatus(m -> stageOf(m, fresh.get(0), CLERK_DISTRICT).equals("ADOPTED")
                && stageOf(m, fresh.get(1), CLERK_DISTRICT).equals("PLANNED"), Duration.ofSeconds(10));
        assertThat(stageOf(SeedReports.get(platform.url("replication-status-service") + "/api/v1/status/matrix?batch=SH-2023"),
                fresh.get(2), CLERK_DISTRICT)).isEqualTo("NOT_STARTED");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** A fresh load of the page (a hash change alone would re-render asynchronously and race the test). */
    private static void open(String url) {
        browser.get("about:blank");
        browser.get(url);
    }

    private void openMatrix() {
        open(url("/#/matrix"));
        waitUntil(() -> browser.findElements(By.cssSelector("#matrix-table tbody tr")).size() == 20);
    }

    private void page(String path, By ready, String screenshot) {
        open(url(path));
        waitFor(ready);
        sleep(600); // charts animate in
        Chromium.screenshot(browser, screenshots, screenshot);
    }

    private void signInAsClerk() {
        open(url("/#/workspace"));
        waitUntil(() -> !browser.findElements(By.id("form-signin")).isEmpty() || !browser.findElements(By.id("identity")).isEmpty());
        if (browser.findElements(By.id("identity")).isEmpty()) {
            assertThat(browser.findElement(By.id("local-mode-badge")).getText()).isEqualTo("本地模式");
            new Select(browser.findElement(By.id("signin-district"))).selectByValue(CLERK_DISTRICT);
            browser.findElement(By.id("sign-in")).click();
            waitFor(By.id("identity"));
        }
    }

    private static void setValue(WebElement input, String value) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];"
                + " arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + " arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
    }

    @SuppressWarnings("unchecked")
    private static <T> T js(String script, Object... args) {
        return (T) ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static WebElement waitFor(By by, java.util.function.Predicate<WebElement> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElements(by).stream().filter(condition).findFirst().orElse(null));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> condition.getAsBoolean());
    }

    private static Path awaitDownload(String suffix) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(downloads)) {
                Optional<Path> done = files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
                if (done.isPresent() && Files.size(done.get()) > 0) {
                    return done.get();
                }
            }
            sleep(200);
        }
        throw new AssertionError("no " + suffix + " downloaded into " + downloads);
    }

    private static void awaitStatus(java.util.function.Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(SeedReports.get(platform.url("replication-status-service") + "/api/v1/status/matrix?batch=SH-2023"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the status service did not show the seeded reports within " + timeout.toSeconds() + " s");
            }
            sleep(300);
        }
    }

    private static String stageOf(JsonNode matrix, String caseId, String district) {
        for (JsonNode row : matrix.get("cases")) {
            for (JsonNode cell : row.get("cells")) {
                if (row.get("caseId").asString().equals(caseId) && cell.get("districtCode").asString().equals(district)) {
                    return cell.get("stage").asString();
                }
            }
        }
        throw new AssertionError("no cell " + caseId + " × " + district);
    }

    private static int startedCells(JsonNode matrix) {
        int n = 0;
        for (JsonNode row : matrix.get("cases")) {
            for (JsonNode cell : row.get("cells")) {
                if (!"NOT_STARTED".equals(cell.get("stage").asString())) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
