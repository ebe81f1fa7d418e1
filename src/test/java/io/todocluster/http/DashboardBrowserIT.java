package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.todocluster.support.NodeCluster;
import io.todocluster.support.NodeProcess;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in a real headless Chromium (Debian's, driven by its own chromedriver: no
 * browser or driver is downloaded), against three node JVMs from the fat jar.
 */
@DisplayName("The dashboard in a browser")
class DashboardBrowserIT {

  private static final Logger log = LoggerFactory.getLogger(DashboardBrowserIT.class);

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final int LISTS = 9;
  /** kill -9 is detected in about a second; the page polls every 2 s; the rest is room for a busy machine. */
  private static final Duration BOUND = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  @Test
  @DisplayName("the page shows 3 members and their lists, a crash button makes a list's supervisor restart it, "
      + "and after kill -9 of another node the page shows 2 members within 15 s and every list on the survivors")
  void showsTheClusterLive() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): "
            + "apt-get install chromium chromium-driver");
    Path artifacts = NodeProcess.jar().toAbsolutePath().getParent().resolve("dashboard");
    Files.createDirectories(artifacts);
    try (NodeCluster cluster = NodeCluster.start(dir, 3)) {
      NodeProcess observer = cluster.node(0);
      List<String> lists = IntStream.range(0, LISTS).mapToObj(i -> "list-" + i).toList();
      for (String list : lists) {
        var created = observer.postJson("/api/lists/" + list + "/entries",
            new JsonObject().put("date", "2026-11-22").put("title", "for the dashboard").encode());
        assertThat(created.statusCode()).as("creating " + list).isEqualTo(201);
      }
      WebDriver browser = browser();
      try {
        browser.get("http://127.0.0.1:" + observer.httpPort() + "/");
        // the page redraws its tables on every refresh: an element found may be gone a moment later
        WebDriverWait wait = new WebDriverWait(browser, BOUND);
        wait.ignoring(StaleElementReferenceException.class);

        wait.withMessage("the page shows 3 members").until(page -> memberNames(page).size() == 3);
        wait.withMessage("the page shows all " + LISTS + " lists").until(page -> placement(page).size() == LISTS);
        Map<String, String> before = placement(browser);
        // the victim is the other node that runs the most lists, so that some must move
        NodeProcess victim = cluster.nodes().subList(1, 3).stream()
            .max((a, b) -> Long.compare(count(before, a.name()), count(before, b.name()))).orElseThrow();
        List<String> victimLists = before.entrySet().stream().filter(e -> e.getValue().equals(victim.name()))
            .map(Map.Entry::getKey).sorted().toList();
        assertThat(victimLists).as("lists on " + victim.name() + " before the kill").isNotEmpty();

        String crashed = victimLists.get(0);
        wait.withMessage("the crash button of " + crashed + " was clicked").until(page -> {
          page.findElement(By.cssSelector("#processes tr[data-list='" + crashed + "'] button")).click();
          return true;
        });
        wait.withMessage("the restart of " + crashed + " arrives on supervisor.events")
            .until(page -> events(page).contains("child_restarted " + crashed));
        wait.withMessage("the tree of " + victim.name() + " was chosen").until(page -> {
          page.findElement(By.cssSelector("#members tr[data-node='" + victim.name() + "']")).click();
          return true;
        });
        wait.withMessage("the tree of " + victim.name() + " counts the restart of " + crashed).until(page ->
            page.findElement(By.cssSelector("#tree li[data-child='" + crashed + "']")).getText().contains("restarts 1"));
        save(browser, artifacts.resolve("before-kill.png"));

        log.info("kill -9 of {} (pid {}), which runs {}", victim.name(), victim.pid(), victimLists);
        new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).start().waitFor();
        long killed = System.nanoTime();
        wait.withMessage("the page shows 2 members").until(page -> {
          Set<String> names = memberNames(page);
          return names.size() == 2 && !names.contains(victim.name());
        });
        long membersMs = (System.nanoTime() - killed) / 1_000_000;
        Set<String> survivors = cluster.nodes().stream().filter(n -> n != victim).map(NodeProcess::name)
            .collect(Collectors.toSet());
        wait.withMessage("every list runs on a survivor").until(page -> {
          Map<String, String> now = placement(page);
          return now.keySet().containsAll(lists) && survivors.containsAll(now.values());
        });
        long processesMs = (System.nanoTime() - killed) / 1_000_000;
        wait.withMessage("the loss of " + victim.name() + " arrives on cluster.events")
            .until(page -> events(page).contains(victim.name() + " left"));

        Path shot = save(browser, artifacts.resolve("after-kill.png"));
        log.info("dashboard after kill -9 of {}: 2 members shown {} ms after the kill, its lists {} on the survivors "
            + "after {} ms; screenshot {}", victim.name(), membersMs, victimLists, processesMs, shot);
        assertThat(placement(browser)).as("lists shown after the kill").containsOnlyKeys(lists);
      } catch (Exception | AssertionError e) {
        save(browser, artifacts.resolve("failure.png"));
        throw e;
      } finally {
        browser.quit();
      }
    }
  }

  /** Debian's chromium and chromedriver, named explicitly: Selenium Manager never runs or downloads. */
  private WebDriver browser() throws Exception {
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
    return new ChromeDriver(service, options);
  }

  /** Read in one script, so that a redraw in between cannot tear the answer. */
  private static Set<String> memberNames(WebDriver page) {
    List<?> names = (List<?>) ((JavascriptExecutor) page).executeScript(
        "return [...document.querySelectorAll('#members tr[data-node]')].map(row => row.dataset.node);");
    return names.stream().map(String::valueOf).collect(Collectors.toSet());
  }

  /** List -> the node the page says it runs on (both, comma-separated, if it shows two). */
  private static Map<String, String> placement(WebDriver page) {
    List<?> rows = (List<?>) ((JavascriptExecutor) page).executeScript(
        "return [...document.querySelectorAll('#processes tr[data-list]')].map(row => [row.dataset.list, row.dataset.node]);");
    return rows.stream().map(row -> (List<?>) row).collect(Collectors.toMap(
        row -> String.valueOf(row.get(0)), row -> String.valueOf(row.get(1)), (a, b) -> a + "," + b));
  }

  private static String events(WebDriver page) {
    return page.findElement(By.id("events")).getText();
  }

  private static long count(Map<String, String> placement, String node) {
    return placement.values().stream().filter(node::equals).count();
  }

  private static Path save(WebDriver browser, Path file) throws Exception {
    Path taken = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(taken, file, StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
