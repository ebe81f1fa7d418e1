package io.todocluster.store.log;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * One record of the log, and its bytes on disk (big-endian):
 *
 * <pre>
 *   [int length][int crc32c][byte op][payload]      length counts op + payload; the CRC covers them
 *   put:    [long created][long lastUsed][long expiry] key value metadata internalMetadata
 *           each part as [int length, -1 when absent][bytes]
 *   delete: key as [int length][bytes]
 *   clear:  nothing
 * </pre>
 *
 * A log file starts with {@link #MAGIC}, then records back to back.
 * A record is believed only when its length fits the file and its checksum matches: that is what
 * lets recovery cut a torn tail at any byte without mistaking half a record for a whole one.
 */
record LogRecord(Op op, StoredEntry entry, byte[] key) {

  /** The first bytes of every log file: the format's name and version. */
  static final byte[] MAGIC = {'T', 'O', 'D', 'O', 'L', 'O', 'G', '1'};

  static final int HEADER_BYTES = 8;

  /** Longer can only be damage: the stored values are small JSON documents, far below 64 MiB. */
  static final int MAX_BODY_BYTES = 64 << 20;

  enum Op {
    PUT(1), DELETE(2), CLEAR(3);

    final byte code;

    Op(int code) {
      this.code = (byte) code;
    }

    static Op of(byte code) throws DamagedRecordException {
      for (Op op : values()) {
        if (op.code == code) {
          return op;
        }
      }
      throw new DamagedRecordException("unknown op " + code);
    }
  }

  /** The body of a record failed its checks: a torn write, or a damaged disk. */
  static final class DamagedRecordException extends IOException {
    DamagedRecordException(String message) {
      super(message);
    }
  }

  static LogRecord put(StoredEntry entry) {
    return new LogRecord(Op.PUT, entry, entry.key());
  }

  static LogRecord delete(byte[] key) {
    return new LogRecord(Op.DELETE, null, key);
  }

  static LogRecord clear() {
    return new LogRecord(Op.CLEAR, null, null);
  }

  /** The whole record, header included, ready to be written. */
  ByteBuffer encode() {
    int bodyLength = 1 + payloadLength();
    if (bodyLength > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("an entry of " + bodyLength + " bytes is over the log's limit of "
          + MAX_BODY_BYTES);
    }
    ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + bodyLength);
    buf.position(HEADER_BYTES).put(op.code);
    switch (op) {
      case PUT -> {
        buf.putLong(entry.created()).putLong(entry.lastUsed()).putLong(entry.expiry());
        putPart(buf, entry.key());
        putPart(buf, entry.value());
        putPart(buf, entry.metadata());
        putPart(buf, entry.internalMetadata());
      }
      case DELETE -> putPart(buf, key);
      case CLEAR -> { }
    }
    buf.putInt(0, bodyLength).putInt(4, checksum(buf.array(), HEADER_BYTES, bodyLength));
    return buf.flip();
  }

  private int payloadLength() {
    return switch (op) {
      case PUT -> 3 * Long.BYTES + partLength(entry.key()) + partLength(entry.value())
          + partLength(entry.metadata()) + partLength(entry.internalMetadata());
      case DELETE -> partLength(key);
      case CLEAR -> 0;
    };
  }

  /** Decodes a body (op + payload) whose checksum was already verified. */
  static LogRecord decode(byte[] bytes, int offset, int length) throws DamagedRecordException {
    ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
    try {
      Op op = Op.of(buf.get());
      LogRecord record = switch (op) {
        case PUT -> {
          long created = buf.getLong();
          long lastUsed = buf.getLong();
          long expiry = buf.getLong();
          yield put(new StoredEntry(requiredPart(buf), part(buf), part(buf), part(buf), created, lastUsed, expiry));
        }
        case DELETE -> delete(requiredPart(buf));
        case CLEAR -> clear();
      };
      if (buf.hasRemaining()) {
        throw new DamagedRecordException(buf.remaining() + " bytes after the end of a " + op + " record");
      }
      return record;
    } catch (BufferUnderflowException e) {
      throw new DamagedRecordException("a record shorter than its parts say");
    }
  }

  static int checksum(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  private static int partLength(byte[] part) {
    return Integer.BYTES + (part == null ? 0 : part.length);
  }

  private static void putPart(ByteBuffer buf, byte[] part) {
    if (part == null) {
      buf.putInt(-1);
    } else {
      buf.putInt(part.length).put(part);
    }
  }

  private static byte[] requiredPart(ByteBuffer buf) throws DamagedRecordException {
    byte[] part = part(buf);
    if (part == null) {
      throw new DamagedRecordException("a record without a key");
    }
    return part;
  }

  private static byte[] part(ByteBuffer buf) throws DamagedRecordException {
    int length = buf.getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > buf.remaining()) {
      throw new DamagedRecordException("a part of " + length + " bytes where " + buf.remaining() + " remain");
    }
    byte[] part = new byte[length];
    buf.get(part);
    return part;
  }
}
