package io.todocluster.supervision;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * A supervisor's message queue: tasks run one at a time on the owner's context, each to its
 * end (an asynchronous end included) before the next begins. Restarts are messages the
 * supervisor sends itself, as in supervisor.erl, never loops.
 */
final class Mailbox {

  private final Context context;
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private boolean busy;

  Mailbox(Context context) {
    this.context = context;
  }

  <T> Future<T> post(Supplier<Future<T>> task) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      queue.addLast(() -> run(task, result));
      drain();
    });
    return result.future();
  }

  private <T> void run(Supplier<Future<T>> task, Promise<T> result) {
    Future<T> outcome;
    try {
      outcome = task.get();
    } catch (Throwable error) {
      outcome = Future.failedFuture(error);
    }
    outcome.onComplete(ar -> context.runOnContext(v -> {
      busy = false;
      result.handle(ar);
      drain();
    }));
  }

  private void drain() {
    if (!busy && !queue.isEmpty()) {
      busy = true;
      queue.pollFirst().run();
    }
  }
}
