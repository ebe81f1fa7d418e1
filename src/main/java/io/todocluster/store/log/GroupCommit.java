package io.todocluster.store.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Makes appended bytes durable, one fsync for many writers. A writer that needs its record on disk
 * waits for the flush lock; the one holding it notes how far the log has been appended, fsyncs, and
 * declares everything up to there durable. The writers that queued meanwhile find their records
 * covered and return without an fsync of their own. Writers run on Infinispan's blocking threads,
 * so waiting here is what those threads are for.
 */
final class GroupCommit {

  private final FileChannel channel;
  private final LongSupplier appended;
  private final Object flushLock = new Object();
  private final LongAdder syncs = new LongAdder();
  private volatile long durable;
  private volatile IOException failure;

  /**
   * @param appended where the appended bytes end now; read before each fsync, so it may only grow
   * @param durable where the bytes already on disk end
   */
  GroupCommit(FileChannel channel, LongSupplier appended, long durable) {
    this.channel = channel;
    this.appended = appended;
    this.durable = durable;
  }

  /** Returns once the log's bytes up to {@code end} are on disk. */
  void awaitDurable(long end) throws IOException {
    if (durable >= end) {
      return;
    }
    synchronized (flushLock) {
      throwIfFailed();
      if (durable >= end) {
        return;
      }
      long target = appended.getAsLong();
      try {
        // fdatasync: the data and the file's length, which is all a reader of the log needs
        channel.force(false);
      } catch (IOException e) {
        // after a failed fsync the kernel may have dropped the dirty pages: nothing unsynced can be
        // trusted to reach the disk, so every later wait fails too (the lesson of PostgreSQL's fsyncgate)
        failure = e;
        throw e;
      }
      syncs.increment();
      durable = target;
    }
  }

  void throwIfFailed() throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw new IOException("an earlier fsync of the log failed", failed);
    }
  }

  boolean hasFailed() {
    return failure != null;
  }

  long syncs() {
    return syncs.sum();
  }
}
