package io.todocluster.jepsen;

import io.todocluster.jepsen.Op.Entry;
import io.todocluster.jepsen.Op.F;
import io.todocluster.jepsen.Op.Type;
import java.util.List;

/**
 * An invocation paired with its completion (see {@link History#calls()}); a null completion
 * means still in flight, which the checkers treat exactly like INFO: it may have happened, or
 * may still happen.
 */
public record Call(Op invoke, Op completion) {
  /** The outcome; an operation that never completed counts as INFO. */
  public Type type() {
    return completion == null ? Type.INFO : completion.type();
  }

  public F f() {
    return invoke.f();
  }

  public String list() {
    return invoke.list();
  }

  public String node() {
    return invoke.node();
  }

  public long invokedAt() {
    return invoke.time();
  }

  /** Completion time; never, for an operation still in flight. */
  public long completedAt() {
    return completion == null ? Long.MAX_VALUE : completion.time();
  }

  public boolean ok() {
    return type() == Type.OK;
  }

  /** OK or INFO: the effect may be in the data. Only FAIL rules it out. */
  public boolean mayHaveHappened() {
    return type() != Type.FAIL;
  }

  /** The entry, from the completion when OK (an ADD learns its id there), else from the invoke. */
  public Entry entry() {
    return ok() ? completion.entry() : invoke.entry();
  }

  /** What an OK READ returned. */
  public List<Entry> entries() {
    return ok() ? completion.entries() : List.of();
  }
}
