package dev.flock.web;

import dev.flock.testing.TestApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live feed page in two real headless Chromium sessions against the real service: a follow, a tweet that appears
 * without a reload, a delete that removes it, and a cut connection that resumes with exactly the missed tweet.
 */
@QuarkusTest
class LiveFeedBrowserTest {

    private final List<WebDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        browsers.forEach(WebDriver::quit);
    }

    private WebDriver browser() throws IOException {
        ChromeOptions options = new ChromeOptions()
                .setBinary(System.getProperty("flock.chromium", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--window-size=1200,900",
                        "--user-data-dir=" + Files.createTempDirectory("flock-chromium"));
        // An explicit driver: Selenium Manager must never try to download one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("flock.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        browsers.add(driver);
        driver.get("http://localhost:" + RestAssured.port + "/");
        return driver;
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    private static void signUp(WebDriver driver, String username) {
        WebElement form = waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("signup-form")));
        form.findElement(By.name("username")).sendKeys(username);
        form.findElement(By.name("displayName")).sendKeys("Display " + username);
        form.findElement(By.name("password")).sendKeys("correct horse battery");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        waiting(driver).until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
    }

    private static By tweet(String text) {
        return By.xpath("//*[@id='timeline']/article[contains(concat(' ', normalize-space(@class), ' '), ' tweet ')]"
                + "[.//*[contains(@class,'tweet-text') and text()=" + xpathLiteral(text) + "]]");
    }

    private static String xpathLiteral(String s) {
        return s.contains("'") ? "concat('" + s.replace("'", "',\"'\",'") + "')" : "'" + s + "'";
    }

    @Test
    void aTweetAppearsLiveIsDeletedLiveAndAMissedOneArrivesOnceAfterReconnect() throws Exception {
        String readerName = TestApi.uniqueName("reader");
        String authorName = TestApi.uniqueName("author");
        WebDriver reader = browser();
        WebDriver author = browser();
        signUp(reader, readerName);
        signUp(author, authorName);

        reader.findElement(By.id("search")).sendKeys(authorName);
        reader.findElement(By.id("search-button")).click();
        WebElement followButton = waiting(reader).until(ExpectedConditions.visibilityOfElementLocated(By.id("follow-button")));
        assertThat(followButton.getAttribute("data-following")).isEqualTo("false");
        followButton.click();
        waiting(reader).until(ExpectedConditions.attributeToBe(By.id("follow-button"), "data-following", "true"));

        String hostile = "look <img src=x onerror=alert(1)> live";
        WebElement compose = author.findElement(By.id("compose"));
        compose.sendKeys(hostile);
        assertThat(author.findElement(By.id("counter")).getText()).startsWith(String.valueOf(hostile.length()));
        author.findElement(By.id("post-button")).click();

        WebElement live = waiting(reader).until(ExpectedConditions.visibilityOfElementLocated(tweet(hostile)));
        assertThat(live.findElements(By.tagName("img"))).isEmpty();
        assertThat(live.findElement(By.cssSelector(".tweet-text")).getText()).isEqualTo(hostile);
        String id = live.getAttribute("data-id");
        screenshot(reader, "live-feed.png");

        WebElement own = waiting(author).until(ExpectedConditions.visibilityOfElementLocated(tweet(hostile)));
        own.findElement(By.cssSelector("button.delete")).click();
        waiting(reader).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("article.tweet[data-id='" + id + "']"), 0));

        ((JavascriptExecutor) reader).executeScript("window.flock.disconnect(3000)");
        waiting(reader).until(d -> !"live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        String whileAway = "posted while you were away";
        TestApi.api().header("Authorization", "Bearer " + token(authorName))
                .body(Map.of("text", whileAway)).post("/api/tweets").then().statusCode(201);
        waiting(reader).until(ExpectedConditions.attributeToBe(By.id("connection"), "data-state", "live"));
        waiting(reader).until(ExpectedConditions.visibilityOfElementLocated(tweet(whileAway)));
        Thread.sleep(500); // a duplicate would arrive right behind the first copy
        assertThat(reader.findElements(tweet(whileAway))).hasSize(1);
        assertThat(reader.getCurrentUrl()).doesNotContain("access_token");
    }

    private static String token(String username) {
        return TestApi.logIn(username, "correct horse battery");
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
