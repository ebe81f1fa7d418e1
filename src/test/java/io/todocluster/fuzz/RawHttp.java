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

  /** A status line at the start of a line: bodies are JSON on one line, so they cannot fake one. */
  private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3})");

  /**
   * What came back. {@code closed}: the server closed the connection (or reset it) within the
   * bound; otherwise it was still open when the bound passed.
   */
  record Exchange(List<Integer> statuses, boolean closed, String text) {

    boolean answered() {
      return !statuses.isEmpty();
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
    List<Integer> statuses = new ArrayList<>();
    Matcher matcher = STATUS_LINE.matcher(text);
    while (matcher.find()) {
      statuses.add(Integer.parseInt(matcher.group(1)));
    }
    return new Exchange(statuses, closed, text);
  }
}
