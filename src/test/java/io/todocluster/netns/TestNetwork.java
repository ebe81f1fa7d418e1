package io.todocluster.netns;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * N network namespaces on a bridge of their own, so that each node JVM gets its own host address
 * and faults can be injected per host. Layout (for id {@code abc123}):
 *
 * <pre>
 *   root namespace:  bridge tcbr-abc123 with 198.18.0.1/24   (the test JVM talks to nodes here)
 *                    veth tcv-abc123-0 .. tcv-abc123-{N-1}   (bridge ports)
 *   tc-abc123-n{i}:  lo up, eth0 = peer of tcv-abc123-{i}, 198.18.0.{10+i}/24, no default route
 * </pre>
 *
 * <p>The bridge has an address so that the test JVM (in the root namespace) can reach every
 * node's HTTP port directly, without an `ip netns exec` per request; fault rules (see
 * {@link Nemesis}) never match 198.18.0.1, so the test can always observe and heal. No namespace
 * gets a default route, and the root namespace does not forward ({@code ip_forward} is left as it
 * is, and with no route out of a namespace there is nothing to forward anyway): a node can reach
 * only its own loopback and 198.18.0.0/24, as this workplace requires.
 *
 * <p>Bridged IPv4 frames pass the root namespace's netfilter hooks when br_netfilter is active
 * ({@code net.bridge.bridge-nf-call-iptables=1}, the default once the module is loaded). We do not
 * flip that host-wide switch; instead {@link #bridgeNetfilterNote()} says whether it is on, so a
 * failure caused by a host firewall that drops forwarded traffic can be recognised.
 *
 * <p>198.18.0.0/24 can live on one bridge only, so one network exists at a time per machine: a
 * file lock (released by the kernel even if the JVM dies) serialises runs, and whoever holds it
 * first sweeps leftovers of earlier runs that died before {@link #close}.
 */
public final class TestNetwork implements AutoCloseable {

  public static final String BRIDGE_ADDRESS = "198.18.0.1";

  private final String id;
  private final int size;
  private final FileChannel lockChannel;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private TestNetwork(String id, int size, FileChannel lockChannel) {
    this.id = id;
    this.size = size;
    this.lockChannel = lockChannel;
    this.shutdownHook = new Thread(this::tearDownQuietly, "netns-cleanup-" + id);
  }

  /** Creates {@code size} namespaces (at most 200: the /24 holds .10 to .209) on a fresh bridge. */
  public static TestNetwork create(int size) {
    if (size < 1 || size > 200) {
      throw new IllegalArgumentException("size must be 1..200, was " + size);
    }
    FileChannel lock = NetnsCleanup.lock();
    try {
      NetnsCleanup.sweepLeftovers();
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String id = String.format("%02x%02x%02x", random[0], random[1], random[2]);
    TestNetwork network = new TestNetwork(id, size, lock);
    // Registered before the first link exists, so a failure half-way is cleaned up too.
    Runtime.getRuntime().addShutdownHook(network.shutdownHook);
    try {
      network.build();
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  private void build() {
    String bridge = bridge();
    Sh.check("ip", "link", "add", "name", bridge, "type", "bridge", "stp_state", "0");
    // No IPv6 link-local addresses: nothing but our IPv4 traffic should appear on the bridge.
    Sh.check("ip", "link", "set", "dev", bridge, "addrgenmode", "none");
    Sh.check("ip", "addr", "add", BRIDGE_ADDRESS + "/24", "dev", bridge);
    Sh.check("ip", "link", "set", "dev", bridge, "up");
    for (int i = 0; i < size; i++) {
      String ns = namespace(i);
      String port = vethPort(i);
      Sh.check("ip", "netns", "add", ns);
      Sh.check("ip", "link", "add", "name", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
      Sh.check("ip", "link", "set", "dev", port, "addrgenmode", "none");
      Sh.check("ip", "link", "set", "dev", port, "master", bridge, "up");
      Sh.check("ip", "-n", ns, "link", "set", "dev", "eth0", "addrgenmode", "none");
      Sh.check("ip", "-n", ns, "addr", "add", host(i) + "/24", "dev", "eth0");
      Sh.check("ip", "-n", ns, "link", "set", "dev", "eth0", "up");
      Sh.check("ip", "-n", ns, "link", "set", "dev", "lo", "up");
    }
  }

  public String id() {
    return id;
  }

  public int size() {
    return size;
  }

  public String bridge() {
    return "tcbr-" + id;
  }

  public String namespace(int i) {
    checkIndex(i);
    return "tc-" + id + "-n" + i;
  }

  /** The address of node {@code i} inside its namespace: 198.18.0.(10+i). */
  public String host(int i) {
    checkIndex(i);
    return "198.18.0." + (10 + i);
  }

  private String vethPort(int i) {
    return "tcv-" + id + "-" + i;
  }

  /** {@code command} prefixed so that it runs inside namespace {@code i}. */
  public List<String> inNamespace(int i, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
    full.addAll(command);
    return full;
  }

  /** Runs a short command inside namespace {@code i}; the result is returned whatever its exit code. */
  public Sh.Result exec(int i, String... command) {
    return Sh.run(Sh.DEFAULT_TIMEOUT, null, inNamespace(i, List.of(command)));
  }

  /** Whether one ping from namespace {@code from} to node {@code to} is answered within a second. */
  public boolean canPing(int from, String toAddress) {
    return exec(from, "ping", "-n", "-q", "-c", "1", "-W", "1", toAddress).ok();
  }

  /**
   * Starts a long-running command inside namespace {@code i}, output to {@code log}. `ip netns
   * exec` enters the namespace and then execs the command, so {@link Process#pid()} is the PID of
   * the command itself (a JVM, say) and signals sent to it reach that process, not a wrapper.
   * The process is killed by {@link #close} if still alive.
   */
  public Process start(int i, List<String> command, Map<String, String> environment, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(inNamespace(i, command)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** One line on the br_netfilter state, for failure messages. */
  public static String bridgeNetfilterNote() {
    Sh.Result r = Sh.run("sysctl", "-n", "net.bridge.bridge-nf-call-iptables");
    if (!r.ok()) {
      return "br_netfilter not loaded: bridged frames skip the root namespace's firewall";
    }
    return "net.bridge.bridge-nf-call-iptables=" + r.stdout().strip()
        + ("1".equals(r.stdout().strip()) ? " (bridged IPv4 passes the root namespace's forward hooks;"
            + " a host firewall that drops forwarded packets would cut the bridge)" : "");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or about to: tearing down twice is harmless
    }
    List<String> errors = tearDown();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("cleanup of network " + id + " failed: " + String.join("; ", errors));
    }
  }

  private synchronized void tearDownQuietly() {
    if (!closed) {
      tearDown();
    }
  }

  /** Best effort, every step tried even if an earlier one failed; returns what went wrong. */
  private List<String> tearDown() {
    closed = true;
    List<String> errors = new ArrayList<>();
    for (Process process : processes) {
      process.destroyForcibly(); // SIGKILL also ends a SIGSTOPped process
    }
    for (Process process : processes) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 0; i < size; i++) {
      // the link first: deleting the namespace first leaves its veth to the kernel's
      // asynchronous cleanup, which races with our own delete of the root-side end
      NetnsCleanup.removeLink(vethPort(i), errors);
      NetnsCleanup.removeNamespace(namespace(i), errors);
    }
    NetnsCleanup.removeLink(bridge(), errors);
    try {
      lockChannel.close(); // releases the lock
    } catch (IOException e) {
      errors.add("lock: " + e.getMessage());
    }
    return errors;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // we are already failing with a better message
    }
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("node " + i + " of " + size);
    }
  }
}
