package io.todocluster.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends bytes over a plain socket and reads what comes back until the server closes, or until a
 * bound: no HTTP client between the fuzzer and the server, so nothing tidies the input.
 */
final class RawHttp {

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");
  private static final Pattern CHUNKED = Pattern.compile("(?im)^transfer-encoding: *chunked");

  /** One answer on the connection: its status and its bytes (head and body). */
  record Answer(int status, String text) {
  }

  /**
   * What came back, cut into answers (a pipeline has several, one right after another's body).
   * {@code closed}: the server closed the connection (or reset it) within the bound; otherwise
   * it was still open when the bound passed.
   */
  record Exchange(List<Answer> answers, boolean closed, String text) {

    List<Integer> statuses() {
      return answers.stream().map(Answer::status).toList();
    }

    boolean answered() {
      return !answers.isEmpty();
    }
  }

  private RawHttp() {
  }

  static Exchange exchange(int port, byte[] request, Duration bound, boolean abandon) throws IOException {
    try (Socket socket = new Socket()) {
      // a reset on close: a hundred thousand exchanges leave no TIME_WAIT behind on this side
      socket.setSoLinger(true, 0);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException closedWhileWriting) {
        // the server may answer (413, 431) and close before it has read everything: read what it said
      }
      if (abandon) {
        return new Exchange(List.of(), false, "");
      }
      return read(socket, bound);
    }
  }

  private static Exchange read(Socket socket, Duration bound) throws IOException {
    long deadline = System.nanoTime() + bound.toNanos();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[16 * 1024];
    boolean closed = false;
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      try {
        int n = in.read(buffer);
        if (n < 0) {
          closed = true;
          break;
        }
        received.write(buffer, 0, n);
      } catch (SocketTimeoutException boundPassed) {
        break;
      } catch (IOException reset) {
        closed = true;
        break;
      }
    }
    String text = received.toString(StandardCharsets.ISO_8859_1);
    return new Exchange(answers(text), closed, text);
  }

  /**
   * Cuts the bytes into answers by their framing: a head, then Content-Length bytes (none after
   * a HEAD, which the next status line right after the head shows) or chunks.
   */
  static List<Answer> answers(String text) {
    List<Answer> answers = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      Matcher status = STATUS_LINE.matcher(text);
      if (!status.find(at) || status.start() != at) {
        break; // not an answer where one should start: nothing more can be framed
      }
      int headEnd = text.indexOf("\r\n\r\n", at);
      if (headEnd < 0) {
        answers.add(new Answer(Integer.parseInt(status.group(1)), text.substring(at)));
        break;
      }
      String head = text.substring(at, headEnd);
      int bodyStart = headEnd + 4;
      int end;
      Matcher length = CONTENT_LENGTH.matcher(head);
      if (CHUNKED.matcher(head).find()) {
        int last = text.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
        end = last < 0 ? text.length() : last + 7;
      } else if (length.find() && !STATUS_LINE.matcher(text).region(bodyStart, text.length()).lookingAt()) {
        end = Math.min(text.length(), bodyStart + Integer.parseInt(length.group(1)));
      } else {
        end = bodyStart;
      }
      answers.add(new Answer(Integer.parseInt(status.group(1)), text.substring(at, end)));
      at = end;
    }
    return answers;
  }
}
