package sh.reform.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
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

/**
 * Issue 18, done when 5, in Debian's Chromium against the whole platform (shared with the other browser tests of this
 * JVM): the city office signs in, previews last month's bulletin on the 通报 page, issues it, and downloads the PDF
 * and the .xlsx of the issued version (read back: the PDF's text holds Chinese district names). A 青浦区 clerk in
 * another window (its own session) sees the issued bulletin and its files but no issue button, and the status service
 * answers 403 when the clerk's token tries to issue. Then the 考核 page shows the ranking, a breakdown and the trend
 * charts. Every wait is for a condition. Screenshots in {@code target/screenshots}.
 *
 * <p>NOT YET RUN: written on a machine too loaded to start the platform before the deadline, so it runs only with
 * {@code -Dreform.bulletin.browser=true} until someone has seen it pass; then drop the condition.
 */
@EnabledIfSystemProperty(named = "reform.bulletin.browser", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "reform.dashboard.demo=false")
class BulletinBrowserTest {

    static final String QINGPU = "310118";
    static final Duration WAIT = Duration.ofSeconds(60);

    static RunningPlatform platform;
    static ChromeDriver browser;
    static Path downloads;
    static String skipReason;
    static Path screenshots = Path.of(System.getProperty("reform.screenshots", "target/screenshots"));

    @LocalServerPort
    int port;

    @RegisterExtension
    final TestWatcher onFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                for (String handle : browser.getWindowHandles()) {
                    browser.switchTo().window(handle);
                    Chromium.screenshot(browser, screenshots, "FAILED-bulletins-" + handle.substring(Math.max(0, handle.length() - 6)));
                }
                System.out.println("[dashboard-it] console errors: " + Chromium.consoleErrors(browser));
            }
        }
    };

    @BeforeAll
    static void platformAndBrowser() throws IOException {
        List<String> missing = RunningPlatform.missingJars();
        if (!missing.isEmpty()) {
            skipReason = "浏览器测试跳过 / browser test skipped: the services are not built " + missing;
        } else if (!Chromium.installed()) {
            skipReason = "浏览器测试跳过 / browser test skipped: no " + Chromium.BROWSER + " or " + Chromium.DRIVER
                    + " — deploy/local/install-browser installs them (as root)";
        }
        if (skipReason != null) {
            System.err.println("[dashboard-it] " + skipReason);
            return;
        }
        platform = RunningPlatform.start();
        downloads = Files.createTempDirectory("bulletin-downloads-");
        browser = Chromium.start(downloads, 1440, 1000);
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

    private static String urlOf(String service) {
        return platform == null ? "http://127.0.0.1:9" : platform.url(service);
    }

    @Test
    void theCityOfficePreviewsIssuesAndDownloadsABulletinAndADistrictReadsButCannotIssue() throws Exception {
        assumeTrue(skipReason == null, skipReason);
        String lastMonth = YearMonth.from(LocalDate.now(SeedReports.SHANGHAI)).minusMonths(1).toString();

        // ---- the city office signs in (the 督办 page's local sign-in) and opens 通报 -------------------------
        open(url("/#/duban"));
        click(By.id("city-sign-in"));
        waitFor(By.id("city-identity"));
        open(url("/#/bulletins"));
        assertThat(waitFor(By.id("nav-bulletins")).getText()).isEqualTo("通报");
        assertThat(waitFor(By.id("bl-period")).getDomProperty("value")).isEqualTo(lastMonth);

        // a bad period: the status service's words beside the field
        setValue(browser.findElement(By.id("bl-period")), "2026-13");
        click(By.id("bl-preview-button"));
        waitFor(By.cssSelector("#bl-form .field-error[data-error-for=period]"), e -> e.getText().contains("时段"));
        setValue(browser.findElement(By.id("bl-period")), lastMonth);
        click(By.id("bl-preview-button"));
        WebElement bulletin = waitFor(By.id("bl-bulletin"), e -> lastMonth.equals(e.getDomAttribute("data-period")));
        assertThat(bulletin.findElement(By.id("bl-districts")).getText()).contains("黄浦区", "青浦区");
        Chromium.screenshot(browser, screenshots, "30-bulletin-preview");

        // ---- issue: version 1 appears in the list with both files -----------------------------------------
        click(By.id("bl-issue"));
        waitFor(By.cssSelector("#bl-issue-result.ok"));
        String key = "SH-2023|" + lastMonth + "|v1";
        WebElement row = waitFor(By.cssSelector("#bl-versions tr.bl-version[data-key='" + key + "']"));
        assertThat(row.getText()).contains("v1").contains(lastMonth);
        Chromium.screenshot(browser, screenshots, "31-bulletin-issued");
        row.findElement(By.cssSelector("a.bl-pdf")).click();
        Path pdf = awaitDownload(".pdf");
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(new PDFTextStripper().getText(doc)).contains("黄浦区", "青浦区", "SH-2023");
        }
        waitFor(By.cssSelector("#bl-versions tr.bl-version[data-key='" + key + "'] a.bl-xlsx")).click();
        Path xlsx = awaitDownload(".xlsx");
        try (Workbook book = new XSSFWorkbook(xlsx.toFile())) {
            assertThat(book.getSheet("各区").getRow(0).getCell(1).getStringCellValue()).isEqualTo("区");
            assertThat(book.getSheet("各区").getLastRowNum()).isEqualTo(16);
        }

        // ---- a 青浦区 clerk in another window (own session): reads and downloads, may not issue ---------------
        browser.switchTo().newWindow(WindowType.WINDOW);
        open(url("/#/workspace"));
        new Select(waitFor(By.id("signin-district"))).selectByValue(QINGPU);
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("identity"));
        open(url("/#/bulletins"));
        WebElement clerkRow = waitFor(By.cssSelector("#bl-versions tr.bl-version[data-key='" + key + "']"));
        assertThat(clerkRow.findElements(By.cssSelector("a.bl-pdf"))).hasSize(1);
        assertThat(browser.findElements(By.id("bl-issue"))).isEmpty();
        assertThat(browser.findElement(By.id("bl-issue-note")).getText()).contains("仅市营商办");
        Map<String, Object> refused = js("return fetch(arguments[0] + '/api/v1/bulletins', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json', Authorization: 'Bearer ' + JSON.parse(sessionStorage.getItem('reform.session')).token},"
                + " body: JSON.stringify({batch: 'SH-2023', period: arguments[1], reason: '区里想改'})})"
                + ".then(r => ({status: r.status}))", platform.url("replication-status-service"), lastMonth);
        assertThat(((Number) refused.get("status")).intValue()).isEqualTo(403);
        Chromium.screenshot(browser, screenshots, "32-bulletins-district-reads");

        // ---- 考核: ranking, breakdown, trend charts ------------------------------------------------------------
        open(url("/#/scores"));
        waitFor(By.cssSelector("#sc-table tbody tr"));
        assertThat(browser.findElements(By.cssSelector("#sc-table tbody tr"))).hasSize(16);
        click(By.cssSelector("#sc-table tbody tr[data-district='" + QINGPU + "']"));
        waitFor(By.id("sc-formula"), e -> e.getText().contains("="));
        assertThat(browser.findElement(By.id("sc-parts")).getText()).contains("核实上线率");
        waitFor(By.cssSelector("#sc-chart-rates canvas"));
        waitFor(By.cssSelector("#sc-chart-scores canvas"));
        Chromium.screenshot(browser, screenshots, "33-scores");
        assertThat(Chromium.consoleErrors(browser)).allMatch(e -> e.contains("403") || e.contains("400"), "only the refused requests are logged");
        assertThat(bulletinsOnTheList()).as("the refused attempt issued nothing").isEqualTo(1);
    }

    private long bulletinsOnTheList() {
        return SeedReports.get(platform.url("replication-status-service") + "/api/v1/bulletins?batch=SH-2023").size();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void open(String url) {
        browser.get("about:blank");
        browser.get(url);
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
        return new WebDriverWait(browser, WAIT).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static WebElement waitFor(By by, java.util.function.Predicate<WebElement> condition) {
        return new WebDriverWait(browser, WAIT).until(d -> d.findElements(by).stream().filter(e -> {
            try {
                return condition.test(e);
            } catch (org.openqa.selenium.StaleElementReferenceException stale) {
                return false;
            }
        }).findFirst().orElse(null));
    }

    private static void click(By by) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class).until(d -> {
                    List<WebElement> found = d.findElements(by);
                    if (found.isEmpty()) {
                        return false;
                    }
                    js("arguments[0].scrollIntoView({block: 'center'}); return null", found.get(0));
                    found.get(0).click();
                    return true;
                });
    }

    /** The first finished download with this suffix (Chromium writes .crdownload until done). */
    private static Path awaitDownload(String suffix) {
        return new WebDriverWait(browser, WAIT).until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                Optional<Path> done = files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst();
                return done.isPresent() && Files.size(done.get()) > 0 ? done.get() : null;
            } catch (IOException e) {
                return null;
            }
        });
    }
}
