package io.todocluster.bench;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/** Reads times out of a node's log (logback-console-text.xml's pattern: local date and time to the millisecond). */
final class NodeLog {

  static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
  /** Membership's line when it recomputes placement after a view change. */
  static final Pattern PLACEMENT = Pattern.compile("(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*placement: servers");

  private NodeLog() {}

  /** Epoch millis of the node's first placement change logged at or after the given time. */
  static long firstPlacementAfter(Jvm node, long afterMillis) throws Exception {
    for (String stamp : node.allLines(PLACEMENT)) {
      long at = epochMillis(stamp);
      if (at >= afterMillis) {
        return at;
      }
    }
    throw new IllegalStateException(node.name() + " logged no placement change after the kill; log: " + node.log());
  }

  /** How many placement changes the node logged at or after the given time. */
  static int placementsAfter(Jvm node, long afterMillis) throws Exception {
    int count = 0;
    for (String stamp : node.allLines(PLACEMENT)) {
      if (epochMillis(stamp) >= afterMillis) {
        count++;
      }
    }
    return count;
  }

  static long epochMillis(String stamp) {
    return LocalDateTime.parse(stamp, TIMESTAMP).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
  }
}
