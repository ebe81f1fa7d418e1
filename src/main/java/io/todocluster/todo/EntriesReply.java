package io.todocluster.todo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Between nodes the reply travels as its JSON text (see {@link Commands#ENTRIES_AS_TEXT}): the
 * asking node wraps the bytes with {@link #ofJsonText}, which parses them only if a reader asks for
 * the JSON values; the HTTP routes read the text as it came, or only the fields of the book's lines.
 */
public final class EntriesReply extends JsonArray {

  /** What a list without entries answers: one shared instance, so that an idle list holds nothing. */
  static final EntriesReply EMPTY = new EntriesReply(List.of());

  /** The entries, or null for a reply received as JSON text. */
  private final List<Entry> entries;
  private String encoded;
  private Buffer wire;
  private String bookLines;

  private EntriesReply(List<Entry> entries) {
    super(new JsonView(entries));
    this.entries = entries;
  }

  private EntriesReply(Buffer jsonText) {
    super(new ParsedOnRead(jsonText));
    this.entries = null;
    this.wire = jsonText;
  }

  /** A reply that came from another node as the bytes of its JSON text (nobody may write to them). */
  static EntriesReply ofJsonText(Buffer jsonText) {
    return new EntriesReply(jsonText);
  }

  /** @param entries an immutable snapshot of the list's entries (the reply keeps it) */
  static EntriesReply of(List<Entry> entries) {
    return entries.isEmpty() ? EMPTY : new EntriesReply(entries);
  }

  @Override
  public String encode() {
    String text = encoded;
    if (text == null) {
      text = entries == null ? wire.toString(StandardCharsets.UTF_8) : super.encode();
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
        lines = reply.entries != null ? String.join("\n", reply.entries.stream().map(Entry::toBookLine).toList())
            : bookLines(reply.wire);
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

  /** The book's lines read straight off the JSON text: only the date and the title of each entry. */
  private static String bookLines(Buffer jsonText) {
    StringBuilder lines = new StringBuilder(jsonText.length() / 2);
    try (JsonParser parser = JacksonCodec.createParser(jsonText)) {
      expect(parser.nextToken(), JsonToken.START_ARRAY);
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        String date = null;
        String title = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if ("date".equals(field)) {
            date = parser.getValueAsString();
          } else if ("title".equals(field)) {
            title = parser.getValueAsString();
          } else if (value.isStructStart()) {
            parser.skipChildren();
          }
        }
        if (lines.length() > 0) {
          lines.append('\n');
        }
        lines.append(Entry.bookLine(date, title));
      }
      expect(parser.currentToken(), JsonToken.END_ARRAY);
    } catch (IOException e) {
      throw new DecodeException("a list's entries as JSON text: " + e.getMessage(), e);
    }
    return lines.toString();
  }

  private static void expect(JsonToken token, JsonToken expected) {
    if (token != expected) {
      throw new DecodeException("a list's entries as JSON text: " + expected + " expected, " + token + " found");
    }
  }

  /** The JSON values of a reply received as text, parsed when first read. */
  private static final class ParsedOnRead extends AbstractList<Object> implements RandomAccess {
    private final Buffer jsonText;
    private List<?> values;

    ParsedOnRead(Buffer jsonText) {
      this.jsonText = jsonText;
    }

    private List<?> values() {
      if (values == null) {
        values = new JsonArray(jsonText).getList();
      }
      return values;
    }

    @Override
    public Object get(int index) {
      return values().get(index);
    }

    @Override
    public int size() {
      return values().size();
    }
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
