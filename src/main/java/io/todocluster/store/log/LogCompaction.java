package io.todocluster.store.log;

import static io.todocluster.store.log.LogRecord.MAGIC;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Rewrites a log with only its live records, the way Bitcask merges. It runs when the log is opened
 * and before anyone writes, so nothing moves under a reader. The new file is written beside the old
 * one, forced, renamed over it atomically and the directory forced: a crash at any point leaves
 * either the old log or the new one, whole (a leftover temporary file is deleted at the next open).
 */
final class LogCompaction {

  /**
   * Compact when less than half the file is live: the file stays under twice the live data, and a
   * compaction at least halves it.
   */
  static final double LIVE_FRACTION = 0.5;

  private LogCompaction() {
  }

  static Path temporaryFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".compacting");
  }

  static boolean isWorthIt(LogIndex index, long fileSize) {
    return index.liveBytes() < (fileSize - MAGIC.length) * LIVE_FRACTION;
  }

  /**
   * Copies the live records of {@code old} (the records the index points at) into a new file that
   * replaces {@code file}, and returns the index of the new file. The caller closes {@code old}.
   */
  static LogIndex compact(FileChannel old, Path file, LogIndex index) throws IOException {
    Path temporary = temporaryFile(file);
    LogIndex compacted = new LogIndex();
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      write(out, ByteBuffer.wrap(MAGIC), 0);
      long position = MAGIC.length;
      for (Map.Entry<LogIndex.Key, LogIndex.Location> entry : index.snapshot()) {
        LogIndex.Location location = entry.getValue();
        byte[] record = LogRecovery.read(old, location.offset(), location.size());
        write(out, ByteBuffer.wrap(record), position);
        compacted.put(entry.getKey().bytes(), new LogIndex.Location(position, location.size(), location.expiry()));
        position += location.size();
      }
      out.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(file.toAbsolutePath().getParent());
    return compacted;
  }

  /** Makes a rename durable: on Linux a directory's entries are flushed by fsync on the directory. */
  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static void write(FileChannel out, ByteBuffer buf, long position) throws IOException {
    while (buf.hasRemaining()) {
      position += out.write(buf, position);
    }
  }
}
