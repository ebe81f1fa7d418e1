package io.todocluster.store.log;

import static io.todocluster.store.log.LogRecord.HEADER_BYTES;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key-value log in one directory, Bitcask style: every put, delete and clear is a record appended
 * to {@code store.log}; an in-memory index says where each live key's newest record is, so a read is
 * one positioned read. Records are never changed in place, so readers need no lock; appends are
 * serialized by one lock, which also keeps the index in file order. The log compacts when it is
 * opened (see {@link LogCompaction}), not while it runs: between restarts it only grows.
 *
 * <p>Durability: with {@code sync} a put returns once its record is fsynced (shared with concurrent
 * writers, {@link GroupCommit}); without, once write() returned, which survives a crash of the JVM
 * but not of the machine. Expired entries are filtered by the clock given at open.
 */
public final class AppendLog implements Closeable {

  static final String FILE_NAME = "store.log";

  private static final Logger log = LoggerFactory.getLogger(AppendLog.class);

  private final Path file;
  private final FileChannel channel;
  private final LogIndex index;
  private final boolean sync;
  private final LongSupplier clock;
  private final GroupCommit commit;
  private final Object appendLock = new Object();
  private volatile long end;
  private volatile IOException broken;
  private volatile boolean closed;

  private AppendLog(Path file, FileChannel channel, LogIndex index, long end, boolean sync, LongSupplier clock) {
    this.file = file;
    this.channel = channel;
    this.index = index;
    this.end = end;
    this.sync = sync;
    this.clock = clock;
    this.commit = new GroupCommit(channel, () -> this.end, 0);
  }

  /** Opens (or creates) the log in {@code directory}: recovers it, and compacts it if worth it. */
  public static AppendLog open(Path directory, boolean sync, LongSupplier clock) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(FILE_NAME);
    Files.deleteIfExists(LogCompaction.temporaryFile(file)); // a compaction cut short: the log is intact
    boolean isNew = !Files.exists(file);
    FileChannel channel = openChannel(file);
    try {
      LogRecovery.Result recovered = LogRecovery.recover(channel, file, clock.getAsLong());
      if (isNew) {
        LogCompaction.forceDirectory(directory);
      }
      LogIndex index = recovered.index();
      long end = recovered.end();
      if (LogCompaction.isWorthIt(index, end)) {
        index = LogCompaction.compact(channel, file, index);
        channel.close();
        channel = openChannel(file);
        log.info("{}: compacted from {} to {} bytes", file, end, channel.size());
        end = channel.size();
      }
      log.info("{}: opened with {} live keys in {} bytes ({} records scanned), sync={}",
          file, index.size(), end, recovered.records(), sync);
      return new AppendLog(file, channel, index, end, sync, clock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static FileChannel openChannel(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  public void put(StoredEntry entry) throws IOException {
    ByteBuffer record = LogRecord.put(entry).encode();
    int size = record.remaining();
    long written;
    synchronized (appendLock) {
      long offset = appendLocked(record);
      index.put(entry.key(), new LogIndex.Location(offset, size, entry.expiry()));
      written = offset + size;
    }
    awaitDurable(written);
  }

  /** Deletes a key; false if there was nothing to delete (and then nothing is written). */
  public boolean delete(byte[] key) throws IOException {
    boolean existed;
    long written;
    synchronized (appendLock) {
      existed = index.get(key) != null;
      if (existed) {
        appendLocked(LogRecord.delete(key).encode());
        index.remove(key);
      }
      written = end; // even with nothing to write, an earlier delete of this key must be durable
    }
    awaitDurable(written);
    return existed;
  }

  public void clear() throws IOException {
    long written;
    synchronized (appendLock) {
      appendLocked(LogRecord.clear().encode());
      index.clear();
      written = end;
    }
    awaitDurable(written);
  }

  /** The key's entry, or null if it is absent or expired. */
  public StoredEntry get(byte[] key) throws IOException {
    LogIndex.Location location = index.get(key);
    if (location == null || location.isExpired(clock.getAsLong())) {
      return null;
    }
    return read(location);
  }

  /** Whether the key has an entry that has not expired; answered from memory. */
  public boolean contains(byte[] key) {
    LogIndex.Location location = index.get(key);
    return location != null && !location.isExpired(clock.getAsLong());
  }

  /** The keys of the entries that have not expired, in file order: a snapshot. */
  public List<byte[]> keys() {
    return keys(key -> true);
  }

  /** The included keys of the entries that have not expired, in file order: a snapshot. */
  public List<byte[]> keys(java.util.function.Predicate<byte[]> include) {
    long now = clock.getAsLong();
    List<byte[]> keys = new ArrayList<>();
    for (Map.Entry<LogIndex.Key, LogIndex.Location> entry : index.snapshot(key -> include.test(key.bytes()))) {
      if (!entry.getValue().isExpired(now)) {
        keys.add(entry.getKey().bytes());
      }
    }
    return keys;
  }

  /** Removes the entries that have expired from the index and returns them (no record is written:
   *  an expired put is still expired when the next open scans it). */
  public List<StoredEntry> removeExpired() throws IOException {
    long now = clock.getAsLong();
    List<StoredEntry> expired = new ArrayList<>();
    for (Map.Entry<LogIndex.Key, LogIndex.Location> entry : index.expired(now)) {
      LogIndex.Location location = entry.getValue();
      StoredEntry stored = read(location);
      if (index.remove(entry.getKey().bytes(), location)) {
        expired.add(stored);
      }
    }
    return expired;
  }

  /** The number of keys, expired ones included until they are purged. */
  public int size() {
    return index.size();
  }

  public long fileSize() {
    return end;
  }

  /** How many fsyncs the writes have cost: fewer than the writes when they shared them. */
  public long syncs() {
    return commit.syncs();
  }

  /** False once a write or an fsync failed: the file may then not hold what the index says. */
  public boolean isWritable() {
    return !closed && broken == null && !commit.hasFailed();
  }

  public Path file() {
    return file;
  }

  private StoredEntry read(LogIndex.Location location) throws IOException {
    byte[] bytes = LogRecovery.read(channel, location.offset(), location.size());
    ByteBuffer header = ByteBuffer.wrap(bytes);
    int length = header.getInt();
    if (length != bytes.length - HEADER_BYTES || LogRecord.checksum(bytes, HEADER_BYTES, length) != header.getInt()) {
      throw new LogRecord.DamagedRecordException(file + ": the record at " + location.offset()
          + " no longer matches its checksum: the disk changed it after it was written");
    }
    return LogRecord.decode(bytes, HEADER_BYTES, length).entry();
  }

  /** Writes a whole record at the end; returns its offset. */
  private long appendLocked(ByteBuffer record) throws IOException {
    if (closed) {
      throw new IOException(file + " is closed");
    }
    if (broken != null) {
      throw new IOException(file + " stopped taking writes after a failed write", broken);
    }
    commit.throwIfFailed();
    long offset = end;
    try {
      while (record.hasRemaining()) {
        channel.write(record, offset + record.position());
      }
    } catch (IOException e) {
      // half a record followed by whole ones would read as damage in the middle: take it back
      try {
        channel.truncate(offset);
      } catch (IOException again) {
        e.addSuppressed(again);
        broken = e;
      }
      throw e;
    }
    end = offset + record.limit();
    return offset;
  }

  private void awaitDurable(long written) throws IOException {
    if (sync) {
      commit.awaitDurable(written);
    }
  }

  /** Flushes what was written without sync, so that a clean stop loses nothing even to a power cut. */
  @Override
  public void close() throws IOException {
    synchronized (appendLock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (broken == null && !commit.hasFailed()) {
          channel.force(false);
        }
      } finally {
        channel.close();
      }
    }
  }
}
