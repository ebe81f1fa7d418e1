package io.todocluster.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.todocluster.jepsen.Op.Entry;
import io.todocluster.jepsen.Op.F;
import io.todocluster.jepsen.Op.Type;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A history")
class HistoryTest {

  private final History history = new History(new AtomicLong()::incrementAndGet);

  @Test
  @DisplayName("records an invocation and its completion as two events, in order, with the clock's times")
  void invokeThenComplete() {
    History.Handle add = history.add(1, "n1", "l", "a");
    add.ok(new Entry(1, "a"));

    assertThat(history.ops()).extracting(Op::index, Op::type, Op::time, Op::value)
        .containsExactly(
            tuple(0L, Type.INVOKE, 1L, Entry.title("a")),
            tuple(1L, Type.OK, 2L, new Entry(1, "a")));
  }

  @Test
  @DisplayName("pairs each invocation with its completion, and counts one still in flight as INFO")
  void pairsCalls() {
    history.add(1, "n1", "l", "a").ok(new Entry(1, "a"));
    history.read(2, "n2", "l");
    history.delete(3, "n1", "l", 1).fail();

    List<Call> calls = history.calls();
    assertThat(calls).extracting(Call::f, Call::type).containsExactly(
        tuple(F.ADD, Type.OK),
        tuple(F.READ, Type.INFO),
        tuple(F.DELETE, Type.FAIL));
    assertThat(calls.get(0).entry()).isEqualTo(new Entry(1, "a"));
    assertThat(calls.get(1).completedAt()).isEqualTo(Long.MAX_VALUE);
    assertThat(history.outcomes()).isEqualTo(Map.of(Type.OK, 1L, Type.FAIL, 1L, Type.INFO, 1L));
  }

  @Test
  @DisplayName("lets a process have only one operation in flight")
  void oneOperationPerProcess() {
    history.read(1, "n1", "l");
    assertThatThrownBy(() -> history.read(1, "n1", "l")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in flight");
  }

  @Test
  @DisplayName("retires a process whose operation ended in INFO, as Jepsen does")
  void retiresAfterInfo() {
    history.add(1, "n1", "l", "a").info();
    assertThatThrownBy(() -> history.read(1, "n1", "l")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("retired");
    history.read(2, "n1", "l").ok(List.of());
    assertThat(history.calls()).hasSize(2);
  }

  @Test
  @DisplayName("completes an operation exactly once")
  void completesOnce() {
    History.Handle read = history.read(1, "n1", "l");
    read.ok(List.of());
    assertThatThrownBy(read::fail).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("saves to JSON lines and loads back the same events")
  void jsonLinesRoundTrip(@TempDir Path dir) throws Exception {
    history.add(1, "n1", "l", "a").ok(new Entry(1, "a"));
    history.update(2, "n2", "l", 1, "b").ok();
    history.read(3, "n3", "l").ok(List.of(new Entry(1, "b")));
    history.delete(4, "n1", "l", 1).info();
    history.read(5, "n1", "l");

    StringWriter text = new StringWriter();
    history.writeJsonLines(text);
    assertThat(text.toString().lines()).hasSize(9);
    assertThat(History.readJsonLines(new StringReader(text.toString())).ops()).isEqualTo(history.ops());

    Path file = dir.resolve("history.jsonl");
    history.save(file);
    History loaded = History.load(file);
    assertThat(loaded.ops()).isEqualTo(history.ops());
    assertThat(loaded.calls()).isEqualTo(history.calls());
  }

  @Test
  @DisplayName("refuses an add, update or delete without an entry, and an OK read without its entries")
  void rejectsMissingValues() {
    assertThatThrownBy(() -> history.invoke(1, "n1", F.ADD, "l", null)).isInstanceOf(IllegalArgumentException.class);
    History.Handle read = history.read(2, "n1", "l");
    assertThatThrownBy(() -> read.ok(Entry.id(1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("refuses to load a completion that has no invocation")
  void loadRejectsOrphanCompletion() {
    String line = new Op(0, 1, Type.OK, F.READ, "l", "n1", 5, Op.Entries.of()).toJson().encode();
    assertThatThrownBy(() -> History.readJsonLines(new StringReader(line)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("without invocation");
  }

  @Test
  @DisplayName("keeps index and time order in agreement when many clients record at once")
  void concurrentRecording() throws Exception {
    History shared = new History();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> clients = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      int process = p;
      clients.add(pool.submit(() -> {
        for (int i = 0; i < 500; i++) {
          shared.add(process, "n" + process % 3, "l", process + "-" + i).ok(new Entry(process * 1000L + i + 1, "x"));
        }
      }));
    }
    for (Future<?> client : clients) {
      client.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<Op> ops = shared.ops();
    assertThat(ops).hasSize(8000);
    for (int i = 0; i < ops.size(); i++) {
      assertThat(ops.get(i).index()).isEqualTo(i);
      if (i > 0) {
        assertThat(ops.get(i).time()).isGreaterThanOrEqualTo(ops.get(i - 1).time());
      }
    }
    assertThat(shared.calls()).hasSize(4000).allMatch(Call::ok);
  }
}
