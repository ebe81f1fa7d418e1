package io.todocluster.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The membership a node last served in, kept in its data dir ({@code membership.json}), so that
 * after a restart of the whole cluster, in any order, the nodes know whose copies they must wait
 * for (DESIGN decision 9). Members are node names, not incarnations: a restarted node is the same
 * member. {@code formation} counts the cluster's whole restarts and {@code topology} the store's
 * topologies within one; together they order two memories, the newer one naming the members that
 * hold every acknowledged write.
 */
public record LastMembership(long formation, long topology, List<String> members) {

  static final String FILE = "membership.json";

  /** Newer formation first, then newer topology. */
  public static final Comparator<LastMembership> AGE =
      Comparator.comparingLong(LastMembership::formation).thenComparingLong(LastMembership::topology);

  public LastMembership {
    members = List.copyOf(new TreeSet<>(members));
  }

  /** How many of these members make a majority. */
  public int majority() {
    return members.size() / 2 + 1;
  }

  public JsonObject toJson() {
    return new JsonObject().put("formation", formation).put("topology", topology)
        .put("members", new JsonArray(new ArrayList<>(members)));
  }

  public static LastMembership fromJson(JsonObject json) {
    List<String> members = new ArrayList<>();
    json.getJsonArray("members").forEach(m -> members.add((String) m));
    return new LastMembership(json.getLong("formation"), json.getLong("topology"), members);
  }

  /** What the data dir remembers; empty for a node that never served (or whose disk was lost). */
  public static Optional<LastMembership> load(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(new JsonObject(Files.readString(file))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(file + " is not a membership record (" + e.getMessage()
          + "); move it away to start this node as one that never served", e);
    }
  }

  /** Replaces the file atomically and durably: a crash leaves the old record or the new one. */
  public void save(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Path temporary = dataDir.resolve(FILE + ".tmp");
    try {
      Files.createDirectories(dataDir);
      byte[] bytes = toJson().encodePrettily().getBytes(StandardCharsets.UTF_8);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(dataDir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The same membership without a member that is gone for good (the operator's way out). */
  public LastMembership without(String member) {
    List<String> rest = new ArrayList<>(members);
    rest.remove(member);
    return new LastMembership(formation, topology, rest);
  }
}
