package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.impl.codecs.JsonArrayMessageCodec;
import io.vertx.core.json.JsonArray;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A list's cached reply to reads")
class EntriesReplyTest {

  private final List<Entry> entries = List.of(new Entry(1, LocalDate.parse("2023-12-19"), "Dentist"),
      new Entry(2, LocalDate.parse("2023-12-19"), "Movies \"and\" popcorn"));

  @Test
  @DisplayName("crosses the event bus's JSON array codec as the same JSON, encoded once")
  void crossesTheEventBus() {
    EntriesReply reply = EntriesReply.of(entries);
    JsonArrayMessageCodec codec = new JsonArrayMessageCodec();
    Buffer first = Buffer.buffer();
    codec.encodeToWire(first, reply);
    Buffer second = Buffer.buffer();
    codec.encodeToWire(second, reply);

    assertThat(second).isEqualTo(first);
    assertThat(reply.toBuffer()).isSameAs(reply.toBuffer());
    JsonArray received = codec.decodeFromWire(0, first);
    assertThat(received).isNotInstanceOf(EntriesReply.class).isEqualTo(new JsonArray(entries.stream().map(Entry::toJson).toList()));
    assertThat(received.encode()).isEqualTo(reply.encode());
  }

  @Test
  @DisplayName("gives the book's lines, the same from a local reply and from one decoded off the event bus")
  void bookLines() {
    EntriesReply reply = EntriesReply.of(entries);
    String expected = "2023-12-19 Dentist\n2023-12-19 Movies \"and\" popcorn";
    assertThat(EntriesReply.bookLines(reply)).isEqualTo(expected);
    assertThat(EntriesReply.bookLines(reply)).isSameAs(EntriesReply.bookLines(reply));
    assertThat(EntriesReply.bookLines(new JsonArray(reply.toBuffer()))).isEqualTo(expected);
    assertThat(EntriesReply.bookLines(EntriesReply.of(List.of()))).isEmpty();
    assertThat(EntriesReply.bookLines(new JsonArray())).isEmpty();
  }

  @Test
  @DisplayName("received as JSON text from another node: read as the same array, its text and book lines as sent")
  void receivedAsText() {
    EntriesReply sent = EntriesReply.of(entries);
    EntriesReply received = EntriesReply.ofJsonText(Buffer.buffer(sent.toBuffer().getBytes()));

    assertThat(received.encode()).isEqualTo(sent.encode());
    assertThat(EntriesReply.bookLines(received)).isEqualTo(EntriesReply.bookLines(sent));
    assertThat(received.size()).isEqualTo(2);
    assertThat(received.getJsonObject(1).getString("title")).isEqualTo("Movies \"and\" popcorn");
    assertThat(received.copy()).isEqualTo(new JsonArray(entries.stream().map(Entry::toJson).toList()));
    assertThat(EntriesReply.bookLines(EntriesReply.ofJsonText(Buffer.buffer("[]")))).isEmpty();
    assertThat(EntriesReply.bookLines(EntriesReply.ofJsonText(
        Buffer.buffer("[{\"id\":1,\"tags\":{\"a\":[1]},\"title\":\"x\",\"date\":\"2023-12-19\"}]"))))
        .as("fields in any order, unknown ones skipped").isEqualTo("2023-12-19 x");
  }

  @Test
  @DisplayName("refuses a text that is not a JSON array of entries")
  void refusesBadText() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EntriesReply.bookLines(EntriesReply.ofJsonText(Buffer.buffer("{}"))))
        .isInstanceOf(io.vertx.core.json.DecodeException.class);
  }
}
