package io.todocluster.store.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The append log")
class AppendLogTest {

  @TempDir
  Path dir;

  final AtomicLong clock = new AtomicLong(1_000_000);

  static StoredEntry entry(String key, String value) {
    return new StoredEntry(key.getBytes(UTF_8), value.getBytes(UTF_8), null, null, 1, 2, -1);
  }

  static byte[] key(String key) {
    return key.getBytes(UTF_8);
  }

  static String value(AppendLog log, String key) throws IOException {
    StoredEntry entry = log.get(key(key));
    return entry == null ? null : new String(entry.value(), UTF_8);
  }

  AppendLog open(Path directory) throws IOException {
    return AppendLog.open(directory, false, clock::get);
  }

  Path logFile(Path directory) {
    return directory.resolve(AppendLog.FILE_NAME);
  }

  @Test
  @DisplayName("keeps every part of an entry across a reopen, an absent part as absent")
  void roundTrip() throws IOException {
    StoredEntry full =
        new StoredEntry(key("k"), "v".getBytes(UTF_8), new byte[] {1, 2}, new byte[] {3}, 10, 20, 30_000_000);
    try (AppendLog log = open(dir)) {
      log.put(full);
      log.put(entry("bare", "x"));
    }
    try (AppendLog log = open(dir)) {
      assertThat(log.get(key("k"))).usingRecursiveComparison().isEqualTo(full);
      assertThat(log.get(key("bare")).metadata()).isNull();
      assertThat(log.get(key("bare")).internalMetadata()).isNull();
    }
  }

  @Test
  @DisplayName("cuts a torn last record at every byte offset, and every record before it survives")
  void tornTailAtEveryByte() throws IOException {
    Path source = dir.resolve("source");
    long lastStart;
    try (AppendLog log = open(source)) {
      for (int i = 0; i < 4; i++) {
        log.put(entry("k" + i, "value " + i));
      }
      log.delete(key("k1"));
      lastStart = log.fileSize();
      log.put(entry("last", "the record that is torn"));
    }
    byte[] whole = Files.readAllBytes(logFile(source));
    for (int cut = (int) lastStart; cut < whole.length; cut++) {
      Path copy = dir.resolve("cut-" + cut);
      Files.createDirectories(copy);
      Files.write(logFile(copy), Arrays.copyOf(whole, cut));
      try (AppendLog log = open(copy)) {
        assertThat(log.fileSize()).as("cut at %d", cut).isEqualTo(lastStart);
        assertThat(value(log, "k0")).isEqualTo("value 0");
        assertThat(value(log, "k1")).isNull();
        assertThat(value(log, "k3")).isEqualTo("value 3");
        assertThat(value(log, "last")).isNull();
        log.put(entry("after", "a write after the cut"));
      }
      try (AppendLog log = open(copy)) {
        assertThat(value(log, "after")).as("cut at %d", cut).isEqualTo("a write after the cut");
        assertThat(log.keys()).hasSize(4);
      }
    }
  }

  @Test
  @DisplayName("detects a flipped byte anywhere in a record: the scan stops there, keeps what is before, and starts")
  void flippedByte() throws IOException {
    Path source = dir.resolve("source");
    long damagedStart;
    long damagedEnd;
    try (AppendLog log = open(source)) {
      log.put(entry("before", "intact"));
      damagedStart = log.fileSize();
      log.put(entry("damaged", "a record with one byte changed"));
      damagedEnd = log.fileSize();
      log.put(entry("after", "written after the damaged one"));
    }
    byte[] whole = Files.readAllBytes(logFile(source));
    for (int at = (int) damagedStart; at < damagedEnd; at++) {
      Path copy = dir.resolve("flip-" + at);
      Files.createDirectories(copy);
      byte[] bytes = whole.clone();
      bytes[at] ^= 0x10;
      Files.write(logFile(copy), bytes);
      try (AppendLog log = open(copy)) {
        assertThat(value(log, "before")).as("flip at %d", at).isEqualTo("intact");
        assertThat(value(log, "damaged")).as("flip at %d", at).isNull();
        assertThat(log.fileSize()).isEqualTo(damagedStart);
      }
    }
  }

  @Test
  @DisplayName("keeps the bytes after a damaged record in the middle aside, for a post-mortem")
  void damageInTheMiddleIsKeptAside() throws IOException {
    long damagedStart;
    try (AppendLog log = open(dir)) {
      log.put(entry("before", "intact"));
      damagedStart = log.fileSize();
      log.put(entry("damaged", "a record with one byte changed"));
      log.put(entry("after", "written after the damaged one"));
    }
    byte[] bytes = Files.readAllBytes(logFile(dir));
    bytes[(int) damagedStart + 12] ^= 0x01;
    Files.write(logFile(dir), bytes);
    try (AppendLog log = open(dir)) {
      assertThat(log.keys()).hasSize(1);
    }
    try (var files = Files.list(dir)) {
      Path aside = files.filter(f -> f.getFileName().toString().startsWith("store.log.damaged-at-" + damagedStart))
          .findFirst().orElseThrow();
      assertThat(Files.size(aside)).isEqualTo(bytes.length - damagedStart);
    }
  }

  @Test
  @DisplayName("notices a record changed on disk after it was scanned, instead of returning wrong bytes")
  void damageAfterOpenIsDetectedOnRead() throws IOException {
    try (AppendLog log = open(dir)) {
      log.put(entry("k", "a value long enough to flip a byte in"));
      byte[] bytes = Files.readAllBytes(logFile(dir));
      bytes[bytes.length - 3] ^= 0x01;
      Files.write(logFile(dir), bytes);
      assertThatThrownBy(() -> log.get(key("k"))).isInstanceOf(LogRecord.DamagedRecordException.class);
    }
  }

  @Test
  @DisplayName("keeps deletes and clears across a reopen")
  void deletesAndClears() throws IOException {
    try (AppendLog log = open(dir)) {
      log.put(entry("a", "1"));
      log.put(entry("b", "2"));
      assertThat(log.delete(key("a"))).isTrue();
      assertThat(log.delete(key("never"))).isFalse();
    }
    try (AppendLog log = open(dir)) {
      assertThat(value(log, "a")).isNull();
      assertThat(value(log, "b")).isEqualTo("2");
      log.clear();
      log.put(entry("c", "3"));
    }
    try (AppendLog log = open(dir)) {
      assertThat(value(log, "b")).isNull();
      assertThat(value(log, "c")).isEqualTo("3");
      assertThat(log.keys()).hasSize(1);
    }
  }

  @Test
  @DisplayName("hides an expired entry, purges it once, and forgets it at the next open")
  void expiry() throws IOException {
    long now = clock.get();
    try (AppendLog log = open(dir)) {
      log.put(new StoredEntry(key("short"), key("v"), null, null, now, now, now + 1000));
      log.put(new StoredEntry(key("long"), key("v"), null, null, now, now, now + 100_000));
      clock.addAndGet(1000);
      assertThat(log.get(key("short"))).isNull();
      assertThat(log.contains(key("short"))).isFalse();
      assertThat(log.keys()).extracting(k -> new String(k, UTF_8)).containsExactly("long");
      assertThat(log.removeExpired()).extracting(e -> new String(e.key(), UTF_8)).containsExactly("short");
      assertThat(log.removeExpired()).isEmpty();
      assertThat(log.size()).isEqualTo(1);
    }
    try (AppendLog log = open(dir)) {
      assertThat(log.size()).isEqualTo(1);
      clock.addAndGet(100_000);
    }
    try (AppendLog log = open(dir)) {
      assertThat(log.size()).isZero();
    }
  }

  @Test
  @DisplayName("compacts at open into exactly the live records, newest values, nothing else")
  void compaction() throws IOException {
    long now = clock.get();
    try (AppendLog log = open(dir)) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 50; i++) {
          log.put(entry("k" + i, "round " + round + " of k" + i));
        }
      }
      for (int i = 0; i < 10; i++) {
        log.delete(key("k" + i));
      }
      log.put(new StoredEntry(key("k10"), key("expiring"), null, null, now, now, now + 10));
    }
    long before = Files.size(logFile(dir));
    clock.addAndGet(10);
    Files.write(LogCompaction.temporaryFile(logFile(dir)), new byte[] {1, 2, 3}); // a compaction cut short
    long liveBytes;
    try (AppendLog log = open(dir)) {
      assertThat(log.keys()).hasSize(39);
      for (int i = 11; i < 50; i++) {
        assertThat(value(log, "k" + i)).isEqualTo("round 2 of k" + i);
      }
      liveBytes = 39L * LogRecord.put(entry("k11", "round 2 of k11")).encode().remaining();
      assertThat(log.fileSize()).isEqualTo(LogRecord.MAGIC.length + liveBytes).isLessThan(before / 2);
    }
    assertThat(LogCompaction.temporaryFile(logFile(dir))).doesNotExist();
    try (AppendLog log = open(dir)) {
      assertThat(log.fileSize()).isEqualTo(LogRecord.MAGIC.length + liveBytes);
      assertThat(log.keys()).hasSize(39);
    }
  }

  @Test
  @DisplayName("refuses a file that is not a log, and leaves it as it was")
  void foreignFile() throws IOException {
    byte[] foreign = "PK\u0003\u0004 not a log at all".getBytes(UTF_8);
    Files.write(logFile(dir), foreign);
    assertThatThrownBy(() -> open(dir)).hasMessageContaining("is not a Todo Cluster log");
    assertThat(Files.readAllBytes(logFile(dir))).isEqualTo(foreign);
  }

  @Test
  @DisplayName("with sync, lets concurrent writers share fsyncs, and every write is on disk when it returns")
  void groupCommit() throws Exception {
    int writers = 32;
    int each = 20;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (AppendLog log = AppendLog.open(dir, true, clock::get)) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            log.put(entry("w" + writer + "-" + i, "v"));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(log.syncs()).isPositive().isLessThan(writers * each);
      assertThat(log.keys()).hasSize(writers * each);
    } finally {
      pool.shutdownNow();
    }
  }
}
