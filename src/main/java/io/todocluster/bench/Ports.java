package io.todocluster.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for the JVMs the bench starts. */
final class Ports {

  /** FD_SOCK2 listens on the cluster port plus this offset (JGroups' default, see todo-jgroups.xml). */
  static final int FD_SOCK2_OFFSET = 100;

  private Ports() {}

  /** A port the OS says is free now (it may be taken again before use; the JVM then fails to start). */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A cluster port p with p + 100 free as well (FD_SOCK2), from a range above the usual ephemeral ones' floor. */
  static int freeClusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (isFree(port) && isFree(port + FD_SOCK2_OFFSET)) {
        return port;
      }
    }
    throw new IllegalStateException("no free cluster port pair found in 100 attempts");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
