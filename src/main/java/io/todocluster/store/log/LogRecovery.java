package io.todocluster.store.log;

import static io.todocluster.store.log.LogRecord.HEADER_BYTES;
import static io.todocluster.store.log.LogRecord.MAGIC;
import static io.todocluster.store.log.LogRecord.MAX_BODY_BYTES;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a log: scans it from the start, rebuilds the index, and cuts the file after the last
 * record that checks out. A crash (kill -9, power loss) can only leave the last write torn, so a
 * bad record at the end is routine and only a warning. A bad record followed by more data is
 * damage (a disk, a bug): the scan stops there too, since nothing after it can be trusted to be in
 * order, but it is logged as an error and the dropped bytes are kept aside for a post-mortem.
 * Either way the store starts: a node that refuses to start loses more than the damaged record.
 */
final class LogRecovery {

  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

  /** What the scan found: the index of the good records and where they end. */
  record Result(LogIndex index, long end, long records) { }

  private LogRecovery() {
  }

  static Result recover(FileChannel channel, Path file, long now) throws IOException {
    long size = channel.size();
    if (size < MAGIC.length) {
      return startNewFile(channel, file, size);
    }
    byte[] magic = read(channel, 0, MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      // not ours: refuse rather than truncate someone's file
      throw new IOException(file + " is not a Todo Cluster log (it does not start with " + new String(MAGIC) + ")");
    }
    channel.position(MAGIC.length);
    DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    LogIndex index = new LogIndex();
    long offset = MAGIC.length;
    long records = 0;
    while (offset < size) {
      String damage = null;
      boolean torn = true;
      long remaining = size - offset;
      if (remaining < HEADER_BYTES) {
        damage = "a header cut short";
      } else {
        int length = in.readInt();
        int checksum = in.readInt();
        long end = offset + HEADER_BYTES + length;
        if (length < 1 || length > MAX_BODY_BYTES) {
          damage = "an impossible length " + length;
          torn = isZeros(channel, offset, size); // zeros: a file extended but never written, after a power loss
        } else if (end > size) {
          damage = "a record of " + length + " bytes cut short at " + (remaining - HEADER_BYTES);
        } else {
          byte[] body = in.readNBytes(length);
          torn = end == size;
          if (LogRecord.checksum(body, 0, length) != checksum) {
            damage = "a checksum mismatch";
          } else {
            try {
              apply(index, LogRecord.decode(body, 0, length), offset, HEADER_BYTES + length);
              records++;
              offset = end;
            } catch (LogRecord.DamagedRecordException e) {
              damage = e.getMessage();
            }
          }
        }
      }
      if (damage != null) {
        cut(channel, file, offset, size, damage, torn);
        break;
      }
    }
    index.removeExpired(now);
    return new Result(index, offset, records);
  }

  private static void apply(LogIndex index, LogRecord record, long offset, int size) {
    switch (record.op()) {
      case PUT -> index.put(record.key(), new LogIndex.Location(offset, size, record.entry().expiry()));
      case DELETE -> index.remove(record.key());
      case CLEAR -> index.clear();
    }
  }

  private static Result startNewFile(FileChannel channel, Path file, long size) throws IOException {
    byte[] start = read(channel, 0, (int) size);
    if (!Arrays.equals(start, Arrays.copyOf(MAGIC, (int) size))) {
      throw new IOException(file + " is not a Todo Cluster log (it does not start with " + new String(MAGIC) + ")");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(MAGIC), 0);
    channel.force(true);
    return new Result(new LogIndex(), MAGIC.length, 0);
  }

  private static void cut(FileChannel channel, Path file, long offset, long size, String damage, boolean torn)
      throws IOException {
    long dropped = size - offset;
    if (torn) {
      log.warn("{}: the last record, at offset {}, is torn ({}), the mark of a crash during a write: "
          + "truncating its {} bytes; every record before it is intact", file, offset, damage, dropped);
    } else {
      Path aside = keepAside(channel, file, offset, size);
      log.error("{}: a damaged record at offset {} ({}) with {} more bytes after it: the log is truncated there, "
          + "so the writes after it are lost on this node; the dropped bytes are kept in {}",
          file, offset, damage, dropped, aside);
    }
    channel.truncate(offset);
    channel.force(true);
  }

  private static Path keepAside(FileChannel channel, Path file, long offset, long size) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".damaged-at-" + offset + "-" + System.currentTimeMillis());
    try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long copied = 0;
      while (copied < size - offset) {
        copied += channel.transferTo(offset + copied, size - offset - copied, out);
      }
      out.force(true);
    }
    return aside;
  }

  private static boolean isZeros(FileChannel channel, long from, long to) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long at = from; at < to; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), to - at));
      int n = channel.read(buf, at);
      if (n < 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      at += n;
    }
    return true;
  }

  static byte[] read(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, offset + buf.position()) < 0) {
        throw new IOException("end of file at " + (offset + buf.position()) + ", expected " + length + " bytes at "
            + offset);
      }
    }
    return buf.array();
  }
}
