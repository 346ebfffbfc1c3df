package io.seqbench.reports;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens a report generated from fixture records in headless Chromium (the system's {@code chromium} and
 * {@code chromedriver}, driven by Selenium 4, fully offline) and checks what a reader would see: the page loads
 * without console errors, every image loads, every table has rows. The report and a full-page screenshot are
 * kept under {@code target/browser-test/} as test artifacts.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them); other
 * locations can be given with {@code -Dseqbench.chromium=...} and {@code -Dseqbench.chromedriver=...}. Without
 * them this test fails and says how to install them: a browser test that silently skips proves nothing.
 */
class ReportBrowserTest {
    private static final Path ARTIFACTS = Path.of("target", "browser-test");
    private static final Logger SELENIUM = Logger.getLogger("org.openqa.selenium");

    @TempDir
    static Path tmp;

    private static ChromeDriver driver;
    private static Path report;
    private static ReportBuilder.Result result;

    @BeforeAll
    static void generateReportAndStartChromium() throws Exception {
        Path runs = tmp.resolve("runs");
        Path benchmarks = tmp.resolve("benchmarks");
        Fixtures.fullSet(runs, benchmarks);
        Files.createDirectories(ARTIFACTS);
        report = ARTIFACTS.resolve("report");
        result = ReportBuilder.write(new ReportRequest(runs, report, null, benchmarks));

        File chromium = new File(System.getProperty("seqbench.chromium", "/usr/bin/chromium"));
        File chromedriver = new File(System.getProperty("seqbench.chromedriver", "/usr/bin/chromedriver"));
        List<String> missing = java.util.stream.Stream.of(chromium, chromedriver).filter(f -> !f.canExecute())
                .map(File::toString).toList();
        if (!missing.isEmpty()) {
            fail("the browser test needs Chromium and its driver, and " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing or not executable. Install them with `sudo apt-get install -y chromium chromium-driver` (Debian/Ubuntu; .ci/run"
                    + " does this), or point -Dseqbench.chromium=... and -Dseqbench.chromedriver=... at them.");
        }
        // offline: no Selenium Manager download, no usage statistics, and the driver given explicitly
        System.setProperty("SE_AVOID_STATS", "true");
        SELENIUM.setLevel(Level.SEVERE); // Selenium warns it has no CDP bindings for this Chromium; none are used
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.get(report.toAbsolutePath().resolve("index.html").toUri().toString());
        waitForImages();
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void waitForImages() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(js("return document.readyState === 'complete'"
                    + " && Array.from(document.images).every(i => i.complete)"))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the page's images did not finish loading within 30 s");
    }

    @Test
    void page_loads_withoutConsoleErrors() {
        assertEquals("SeqBench report", driver.getTitle());
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }

    @Test
    void images_allLoad_withNaturalSize() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> images = (List<Map<String, Object>>) js("return Array.from(document.images).map("
                + "i => ({src: i.getAttribute('src'), width: i.naturalWidth, height: i.naturalHeight}))");
        assertEquals(result.charts(), images.size(), "one image per chart: " + images);
        assertTrue(images.size() >= 15, "every kind of chart is in the fixture report: " + images);
        for (Map<String, Object> image : images) {
            assertTrue(((Number) image.get("width")).intValue() > 0, "image did not load: " + image);
            assertTrue(((Number) image.get("height")).intValue() > 0, "image did not load: " + image);
        }
    }

    @Test
    void tables_allHaveRows() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) js("return Array.from("
                + "document.querySelectorAll('table')).map(t => ({id: t.id || t.className,"
                + " rows: t.tBodies.length ? t.tBodies[0].rows.length : 0}))");
        assertTrue(tables.size() >= 5, "the report's tables: " + tables);
        for (String id : List.of("results-table", "runs-table", "unmeasured-table", "environment-table")) {
            assertTrue(tables.stream().anyMatch(t -> id.equals(t.get("id"))), id + " is missing: " + tables);
        }
        for (Map<String, Object> t : tables) {
            assertTrue(((Number) t.get("rows")).intValue() > 0, "a table without rows: " + t);
        }
    }

    @Test
    void screenshot_fullPage_isSavedAsATestArtifact() throws Exception {
        long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(height, 16000)));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path file = ARTIFACTS.resolve("report.png");
        Files.write(file, png);
        var image = javax.imageio.ImageIO.read(file.toFile());
        assertTrue(image.getWidth() >= 1200 && image.getHeight() > 2000, image.getWidth() + "x" + image.getHeight());
    }
}
