package sh.reform.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import sh.reform.shared.security.LocalTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 16, done when 4: the 督办 chain in Debian's Chromium against the whole platform (the seven services
 * from their jars, the dashboard on a random port). Two windows: the city office on the 督办 page and the
 * 金山区 clerk in the workspace. The city office assigns SH-2023-03 to 金山区 (a bad due date first: the
 * service's message beside the field), urges from the 督办 page; the clerk sees the urge in the inbox,
 * acknowledges and answers; the district claims a measure live (through the rollout API, as its system
 * would); the city office's open page shows the answer and the new claim without a reload, and returns the
 * claim with a reason (required: refused without one, beside the field); the clerk sees the returned claim
 * with its reason. Every wait is for a condition. Screenshots in {@code target/screenshots}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "reform.dashboard.demo=false")
class DubanBrowserTest {

    static final String CASE = "SH-2023-03";
    static final String JINSHAN = "310116";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    static RunningPlatform platform;
    static ChromeDriver browser;
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
                    Chromium.screenshot(browser, screenshots, "FAILED-duban-" + handle.substring(Math.max(0, handle.length() - 6)));
                }
                System.out.println("[dashboard-it] console errors: " + Chromium.consoleErrors(browser));
            }
            if (platform != null) {
                platform.dumpThreads();
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
        browser = Chromium.start(Files.createTempDirectory("duban-downloads-"), 1440, 1000);
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
    void theCityOfficeUrgesAndReturnsAClaimFromTheDubanPageAndTheClerkAnswersFromTheWorkspace() throws Exception {
        assumeTrue(skipReason == null, skipReason);
        String today = LocalDate.now(SeedReports.SHANGHAI).toString();
        String due = LocalDate.now(SeedReports.SHANGHAI).plusDays(5).toString();
        String cell = "[data-case='" + CASE + "'][data-district='" + JINSHAN + "']";

        // ---- the city office signs in on the 督办 page and assigns the case to 金山区 ----------------------
        open(url("/#/duban"));
        click(By.id("city-sign-in"));
        WebElement assign = waitFor(By.id("form-assign"));
        assertThat(browser.findElement(By.id("nav-duban")).getText()).isEqualTo("督办");
        assign.findElement(By.cssSelector("input[name=assign-case][value='" + CASE + "']")).click();
        assign.findElement(By.cssSelector("input[name=assign-district][value='" + JINSHAN + "']")).click();
        // the origin district of a case is never offered: 宝山区 is not SH-2023-03's origin, the preview has one cell
        waitFor(By.cssSelector("#assign-table tbody tr" + cell));
        assertThat(browser.findElements(By.cssSelector("#assign-table tbody tr"))).hasSize(1);
        String cityWindow = browser.getWindowHandle();

        setValue(assign.findElement(By.name("dueDate")), "2020-01-01");
        browser.findElement(By.id("assign-submit")).click();
        WebElement dueError = waitFor(By.cssSelector("#form-assign .field-error[data-error-for=dueDate]"), e -> !e.getText().isBlank());
        assertThat(dueError.getText()).contains("早于"); // the supervision service's own words, in Chinese
        assertThat(browser.findElement(By.id("assign-result")).getDomAttribute("class")).contains("error");
        Chromium.screenshot(browser, screenshots, "20-duban-assign-field-error");

        setValue(assign.findElement(By.name("dueDate")), due);
        browser.findElement(By.id("assign-submit")).click();
        waitFor(By.cssSelector("#assign-result.ok"));

        // ---- due in 5 days: the cell is among the due-soon; the city office urges from there -------------------
        waitFor(By.cssSelector("#deadlines-table tbody tr" + cell), e -> "DUE_SOON".equals(e.getDomAttribute("data-deadline")));
        click(By.cssSelector("#deadlines-table tbody tr" + cell + " button[data-action=urge]"));
        WebElement urgeForm = waitFor(By.id("form-urge"));
        assertThat(urgeForm.findElement(By.name("replyBy")).getDomProperty("value"))
                .isEqualTo(LocalDate.now(SeedReports.SHANGHAI).plusDays(3).toString());
        String message = "请说明一窗通办举措的上线进度 " + UUID.randomUUID().toString().substring(0, 6);
        urgeForm.findElement(By.name("message")).sendKeys(message);
        browser.findElement(By.id("form-urge-submit")).click();
        waitFor(By.cssSelector("#duban-notice.ok"));
        String urgeId = waitFor(By.cssSelector("#urges-table tbody tr" + cell), e -> e.getText().contains(message)).getDomAttribute("data-urge");
        js("window.__sameDocument = 'not reloaded'; return null");
        Chromium.screenshot(browser, screenshots, "21-duban-urged");

        // ---- the clerk of 金山区 in a second window: the urge in the inbox; acknowledge, then answer ----------
        browser.switchTo().newWindow(WindowType.WINDOW);
        String clerkWindow = browser.getWindowHandle();
        open(url("/#/workspace"));
        new Select(waitFor(By.id("signin-district"))).selectByValue(JINSHAN);
        browser.findElement(By.id("sign-in")).click();
        waitFor(By.id("identity"));
        waitFor(By.cssSelector("#urge-list li[data-urge='" + urgeId + "']"), e -> e.getText().contains(message) && e.getText().contains("区经办人"));

        click(By.cssSelector("#ack-list li[data-case='" + CASE + "'] button[data-action=acknowledge]"));
        WebElement ack = waitFor(By.id("form-ack"));
        ack.findElement(By.name("contactName")).sendKeys("王敏");
        browser.findElement(By.id("form-ack-submit")).click();
        waitFor(By.cssSelector("#inbox-notice.ok"));
        waitUntil(d -> d.findElements(By.cssSelector("#ack-list li[data-case='" + CASE + "']")).isEmpty());

        click(By.cssSelector("#urge-list li[data-urge='" + urgeId + "'] button[data-action=respond]"));
        WebElement respond = waitFor(By.id("form-respond"));
        String done = "已完成试点窗口遴选，系统对接进行中";
        respond.findElement(By.name("done")).sendKeys(done);
        respond.findElement(By.name("blockers")).sendKeys("待市大数据中心排期");
        setValue(respond.findElement(By.name("proposedDate")), LocalDate.now(SeedReports.SHANGHAI).plusDays(20).toString());
        browser.findElement(By.id("form-respond-submit")).click();
        waitFor(By.cssSelector("#inbox-notice.ok"));
        waitUntil(d -> d.findElements(By.cssSelector("#urge-list li[data-urge='" + urgeId + "']")).isEmpty());

        // the notification inbox: the assignment and the urge reached the district; mark one read
        int before = Integer.parseInt(waitFor(By.cssSelector("#inbox-unread"), e -> Integer.parseInt(e.getDomAttribute("data-count")) > 0)
                .getDomAttribute("data-count"));
        click(By.cssSelector("#notification-list li.unread button[data-action=read]"));
        waitUntil(d -> Integer.parseInt(d.findElement(By.id("inbox-unread")).getDomAttribute("data-count")) < before);
        Chromium.screenshot(browser, screenshots, "22-workspace-inbox-answered");

        // ---- the district claims a measure live, as its system would (the rollout API) --------------------------
        JsonNode c = SeedReports.get(platform.url("catalog-service") + "/api/v1/catalog/cases/" + CASE);
        String measure = c.get("measures").get(0).get("measureId").asString();
        String claimId = UUID.randomUUID().toString();
        String token = LocalTokens.district(LocalTokens.LOCAL_SECRET, JINSHAN, "金山区发展改革委", Duration.ofHours(1));
        Map<String, Object> adoption = envelope(UUID.randomUUID().toString());
        adoption.put("decision", "ADOPTED");
        adoption.put("leadAgency", "金山区发展改革委");
        adoption.put("targetDate", due);
        post(platform.url("case-adoption-service") + "/api/v1/adoptions", token, adoption);
        Map<String, Object> rollout = envelope(claimId);
        rollout.put("measureId", measure);
        rollout.put("stage", "LIVE");
        rollout.put("effectiveDate", today);
        post(platform.url("measure-rollout-service") + "/api/v1/rollouts", token, rollout);

        // ---- back to the city office's page, never reloaded: the answer and the new claim are there ---------------
        browser.switchTo().window(cityWindow);
        waitFor(By.cssSelector("#answers-list li[data-urge='" + urgeId + "']"), e -> e.getText().contains(done) && e.getText().contains("待市大数据中心排期"));
        waitFor(By.cssSelector("#reviews-table tbody tr[data-claim='" + claimId + "']"), e -> e.getText().contains("已上线"));
        assertThat(browser.findElements(By.cssSelector("#urges-table tbody tr[data-urge='" + urgeId + "']"))).isEmpty();
        assertThat((String) js("return window.__sameDocument")).isEqualTo("not reloaded");
        Chromium.screenshot(browser, screenshots, "23-duban-answer-and-claim-live");

        // the evidence: the cell drawer's history shows each 督办 step with who and through which channel
        click(By.cssSelector("#reviews-table tbody tr[data-claim='" + claimId + "'] button[data-action=evidence]"));
        waitFor(By.cssSelector("#cell-history li.sv-step[data-to=CLAIM_SUBMITTED]"));
        List<String> steps = js("return [...document.querySelectorAll('#cell-history li.sv-step')].map(li => li.dataset.to)");
        assertThat(steps).contains("ASSIGNED", "URGED", "ACKNOWLEDGED", "RESPONDED", "CLAIM_SUBMITTED");
        String urged = browser.findElement(By.cssSelector("#cell-history li.sv-step[data-to=URGED]")).getText();
        assertThat(urged).contains("催办").contains("市营商办").contains("手工填报");
        assertThat(browser.findElement(By.cssSelector("#cell-history li.sv-step[data-to=RESPONDED]")).getText()).contains("金山区");
        Chromium.screenshot(browser, screenshots, "24-cell-history-supervision");
        browser.findElement(By.id("drawer-close")).click();

        // ---- the city office returns the claim: a reason is required, then given --------------------------------
        click(By.cssSelector("#reviews-table tbody tr[data-claim='" + claimId + "'] button[data-action=return]"));
        waitFor(By.id("form-return"));
        browser.findElement(By.id("form-return-submit")).click();
        waitFor(By.cssSelector("#form-return .field-error[data-error-for=reason]"), e -> !e.getText().isBlank());
        String reason = "未附上线截图和办件记录，请补充佐证后重报";
        browser.findElement(By.cssSelector("#form-return textarea[name=reason]")).sendKeys(reason);
        browser.findElement(By.id("form-return-submit")).click();
        waitFor(By.cssSelector("#returned-list li[data-claim='" + claimId + "']"), e -> e.getText().contains(reason));
        waitUntil(d -> d.findElements(By.cssSelector("#reviews-table tbody tr[data-claim='" + claimId + "']")).isEmpty());
        assertThat((String) js("return window.__sameDocument")).isEqualTo("not reloaded");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1500));
        js("window.scrollTo(0, 0); return null");
        Chromium.screenshot(browser, screenshots, "25-duban-page");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1000));

        // ---- the clerk's open inbox shows the returned claim and its reason -----------------------------------
        browser.switchTo().window(clerkWindow);
        waitFor(By.cssSelector("#returned-claims li[data-claim='" + claimId + "']"), e -> e.getText().contains(reason) && e.getText().contains("已上线"));
        Chromium.screenshot(browser, screenshots, "26-workspace-returned-claim");

        // ---- the matrix: the cell is supervised, claimed live and not verified, with the legend saying so --------
        Chromium.consoleErrors(browser); // the refused requests above are logged by the browser as errors
        open(url("/#/matrix"));
        WebElement matrixCell = waitFor(By.cssSelector("#matrix-table td.cell" + cell));
        assertThat(matrixCell.getDomAttribute("data-supervised")).isEqualTo("true");
        assertThat(matrixCell.getDomAttribute("data-verified")).isEqualTo("false");
        assertThat(browser.findElement(By.id("legend-verified")).getText()).contains("已核实上线");
        assertThat(browser.findElement(By.id("legend-overdue")).getText()).contains("逾");
        Chromium.screenshot(browser, screenshots, "27-matrix-supervision-marks");
        assertThat(Chromium.consoleErrors(browser)).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static void open(String url) {
        browser.get("about:blank");
        browser.get(url);
    }

    private static Map<String, Object> envelope(String eventId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("caseId", CASE);
        body.put("districtCode", JINSHAN);
        body.put("occurredAt", OffsetDateTime.now(SeedReports.SHANGHAI).withNano(0).toString());
        return body;
    }

    private static void post(String url, String token, Map<String, Object> body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST " + url + ": " + r.body()).isEqualTo(202);
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

    /** Clicks what the selector finds once it is there; a list re-rendered meanwhile is looked up again. */
    private static void click(By by) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.ElementClickInterceptedException.class).until(d -> {
                    List<WebElement> found = d.findElements(by);
                    if (found.isEmpty()) {
                        return false;
                    }
                    // in the middle of the window, clear of the sticky header
                    js("arguments[0].scrollIntoView({block: 'center'}); return null", found.get(0));
                    found.get(0).click();
                    return true;
                });
    }

    private static void waitUntil(Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).until(condition::apply);
    }
}
