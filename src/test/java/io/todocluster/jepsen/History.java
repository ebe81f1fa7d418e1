package io.todocluster.jepsen;

import io.todocluster.jepsen.Op.Entries;
import io.todocluster.jepsen.Op.Entry;
import io.todocluster.jepsen.Op.F;
import io.todocluster.jepsen.Op.Type;
import io.todocluster.jepsen.Op.Value;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * An append-only, thread-safe history of operations, recorded as in Jepsen.
 *
 * <p>Public API:
 * <ul>
 *   <li>{@code new History()} (clock: {@link System#nanoTime}) or {@code new History(clock)}.
 *   <li>{@link #invoke} (or {@link #add}, {@link #read}, {@link #update}, {@link #delete}) records
 *       the invocation and returns a {@link Handle}; complete it exactly once with
 *       {@code ok(..)}, {@code fail()} or {@code info()}.
 *   <li>{@link #ops()}: every event in order; {@link #calls()}: invocations paired with their
 *       completion; {@link #outcomes()}: how many calls ended OK, FAIL, INFO.
 *   <li>{@link #save}/{@link #load} and {@link #writeJsonLines}/{@link #readJsonLines}: one JSON
 *       object per line, so a run can be kept and checked again.
 * </ul>
 * The clock is read under the same lock that appends, so time order and index order agree:
 * "A completed before B was invoked" is then exact, which the real-time checks rely on.
 * Jepsen's rules are enforced: a process has at most one operation in flight, and a process
 * whose operation ended in INFO is retired (the workload continues with a fresh process id).
 */
public final class History {

  private final LongSupplier clock;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Integer, Op> inFlight = new HashMap<>();
  private final Set<Integer> retired = new HashSet<>();

  public History() {
    this(System::nanoTime);
  }

  public History(LongSupplier clock) {
    this.clock = clock;
  }

  /** The open end of one invocation. */
  public final class Handle {
    private final Op invoke;

    private Handle(Op invoke) {
      this.invoke = invoke;
    }

    public Op invoke() {
      return invoke;
    }

    /** Acknowledged, with the value the service returned (the new entry, the entries read). */
    public Op ok(Value value) {
      return complete(invoke, Type.OK, value);
    }

    /** Acknowledged, with the value of the invocation (UPDATE, DELETE). */
    public Op ok() {
      return complete(invoke, Type.OK, invoke.value());
    }

    /** Acknowledged READ. */
    public Op ok(List<Entry> read) {
      return ok(new Entries(read));
    }

    public Op fail() {
      return complete(invoke, Type.FAIL, invoke.value());
    }

    public Op info() {
      return complete(invoke, Type.INFO, invoke.value());
    }
  }

  public synchronized Handle invoke(int process, String node, F f, String list, Value value) {
    if (retired.contains(process)) {
      throw new IllegalStateException("process " + process + " was retired after an INFO; use a new process id");
    }
    if (inFlight.containsKey(process)) {
      throw new IllegalStateException("process " + process + " already has an operation in flight");
    }
    Op op = append(new Op(ops.size(), process, Type.INVOKE, f, list, node, clock.getAsLong(), value));
    inFlight.put(process, op);
    return new Handle(op);
  }

  public Handle add(int process, String node, String list, String title) {
    return invoke(process, node, F.ADD, list, Entry.title(title));
  }

  public Handle read(int process, String node, String list) {
    return invoke(process, node, F.READ, list, null);
  }

  public Handle update(int process, String node, String list, long id, String newTitle) {
    return invoke(process, node, F.UPDATE, list, new Entry(id, newTitle));
  }

  public Handle delete(int process, String node, String list, long id) {
    return invoke(process, node, F.DELETE, list, Entry.id(id));
  }

  private synchronized Op complete(Op invoke, Type type, Value value) {
    if (inFlight.get(invoke.process()) != invoke) {
      throw new IllegalStateException("operation " + invoke.index() + " is already complete");
    }
    inFlight.remove(invoke.process());
    if (type == Type.INFO) {
      retired.add(invoke.process());
    }
    return append(new Op(ops.size(), invoke.process(), type, invoke.f(), invoke.list(), invoke.node(),
        clock.getAsLong(), value));
  }

  private Op append(Op op) {
    ops.add(op);
    return op;
  }

  /** A snapshot of every event, in the order recorded. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /** Invocations in order, each with its completion (Jepsen pairing: a process's next completion). */
  public synchronized List<Call> calls() {
    List<Call> calls = new ArrayList<>();
    Map<Integer, Integer> open = new HashMap<>();
    for (Op op : ops) {
      if (op.type() == Type.INVOKE) {
        open.put(op.process(), calls.size());
        calls.add(new Call(op, null));
      } else {
        Integer at = open.remove(op.process());
        if (at == null) {
          throw new IllegalStateException("completion without invocation: " + op);
        }
        calls.set(at, new Call(calls.get(at).invoke(), op));
      }
    }
    return calls;
  }

  /** How many calls ended OK, FAIL and INFO (in flight counts as INFO): the figures of a report. */
  public Map<Type, Long> outcomes() {
    Map<Type, Long> counts = new EnumMap<>(Type.class);
    for (Type t : List.of(Type.OK, Type.FAIL, Type.INFO)) {
      counts.put(t, 0L);
    }
    calls().forEach(c -> counts.merge(c.type(), 1L, Long::sum));
    return counts;
  }

  public synchronized void writeJsonLines(Writer out) throws IOException {
    for (Op op : ops) {
      out.write(op.toJson().encode());
      out.write('\n');
    }
    out.flush();
  }

  /** Reads a saved history; the events keep their saved times and order (in-flight rules are not replayed). */
  public static History readJsonLines(Reader in) throws IOException {
    History history = new History();
    BufferedReader lines = new BufferedReader(in);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!line.isBlank()) {
        Op op = Op.fromJson(new JsonObject(line));
        history.ops.add(new Op(history.ops.size(), op.process(), op.type(), op.f(), op.list(), op.node(),
            op.time(), op.value()));
      }
    }
    history.calls(); // fails fast on a completion that has no invocation
    return history;
  }

  public void save(Path file) {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeJsonLines(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static History load(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return readJsonLines(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
