package io.todocluster.todo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A list's entries as answered to reads: a JSON array that is a read-only view of the list's
 * immutable entries, encoded once per version of the list, in the form each reader asks for
 * (text for HTTP, bytes for the clustered event bus, whose codec asks {@link #toBuffer()}, the
 * book's lines). Building the JSON tree and its encodings for every read was most of what the
 * nodes allocated under the book's load, and so most of their young-GC pauses; the view holds no
 * tree, so a cached reply costs only the encodings that were asked for, not a copy of the list
 * as JSON objects. Never changed once built (its mutators throw): the process drops it on every
 * write and builds a new one on the next read. Readers on other threads only read it; two that
 * encode it at once may both encode, which is harmless.
 */
public final class EntriesReply extends JsonArray {

  /** What a list without entries answers: one shared instance, so that an idle list holds nothing. */
  static final EntriesReply EMPTY = new EntriesReply(List.of());

  private final List<Entry> entries;
  private String encoded;
  private Buffer wire;
  private String bookLines;

  private EntriesReply(List<Entry> entries) {
    super(new JsonView(entries));
    this.entries = entries;
  }

  /** @param entries an immutable snapshot of the list's entries (the reply keeps it) */
  static EntriesReply of(List<Entry> entries) {
    return entries.isEmpty() ? EMPTY : new EntriesReply(entries);
  }

  @Override
  public String encode() {
    String text = encoded;
    if (text == null) {
      text = super.encode();
      encoded = text;
    }
    return text;
  }

  /** The encoding the event bus sends; shared, so nobody may write to it (the codec only copies from it). */
  @Override
  public Buffer toBuffer() {
    Buffer bytes = wire;
    if (bytes == null) {
      bytes = Buffer.buffer(encode());
      wire = bytes;
    }
    return bytes;
  }

  /**
   * The book's {@code GET /entries} answer for these entries, one line per entry: cached when
   * they are an {@code EntriesReply} (a read of a list on this node), else built from the JSON
   * of a reply that came over the event bus.
   */
  public static String bookLines(JsonArray entries) {
    if (entries instanceof EntriesReply reply) {
      String lines = reply.bookLines;
      if (lines == null) {
        lines = String.join("\n", reply.entries.stream().map(Entry::toBookLine).toList());
        reply.bookLines = lines;
      }
      return lines;
    }
    return join(entries);
  }

  private static String join(JsonArray entries) {
    StringBuilder lines = new StringBuilder(entries.size() * 32);
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        lines.append('\n');
      }
      JsonObject entry = entries.getJsonObject(i);
      lines.append(Entry.bookLine(entry.getString("date"), entry.getString("title")));
    }
    return lines.toString();
  }

  /** Each entry's JSON object, made when it is read; read-only, like the entries. */
  private static final class JsonView extends AbstractList<Object> implements RandomAccess {
    private final List<Entry> entries;

    JsonView(List<Entry> entries) {
      this.entries = entries;
    }

    @Override
    public Object get(int index) {
      return entries.get(index).toJson();
    }

    @Override
    public int size() {
      return entries.size();
    }
  }
}
