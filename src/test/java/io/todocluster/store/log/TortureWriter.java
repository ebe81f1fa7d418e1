package io.todocluster.store.log;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.manager.DefaultCacheManager;

/**
 * The torture test's child JVM (see {@link StoreTortureTest}): a local cache on a store, which
 * first checks what the parent says must be there, then writes as fast as it can until it is
 * killed (or stopped: SIGTERM stops the writers, then the cache manager). Every line on stdout
 * that starts with a fact marker is a fact for the parent: a put or a remove is announced before
 * it is made and acknowledged after it returned.
 *
 * <p>The writes are the store's workload in the node: new keys, overwrites of recent keys (a
 * list's head is rewritten at every change) and removes. Arguments:
 * {@code <log|sifs> <state dir> <expectations file> <run> <sync> <writers>}. The expectations file
 * has lines {@code P key version} (must hold {@link #valueOf}) and {@code X key} (must be absent).
 */
public final class TortureWriter {

  static final String STARTED = "STARTED";
  static final String START_FAILED = "START-FAILED";
  static final String CHECK_FAILED = "CHECK-FAILED";
  static final String VERIFIED = "VERIFIED";
  static final String PUTTING = "p ";
  static final String PUT = "P ";
  static final String REMOVING = "x ";
  static final String REMOVED = "X ";
  static final String STOPPED = "STOPPED";
  static final String MISSING = "MISSING ";
  static final String WRONG = "WRONG ";
  static final String RESURRECTED = "RESURRECTED ";

  private static final PrintStream out = System.out;
  private static volatile boolean stopping;

  private TortureWriter() {
  }

  /** A value that differs in length from key to key, so that records differ in size. */
  static String valueOf(String key, int version) {
    return "version " + version + " of " + key + " " + "x".repeat(Math.floorMod(key.hashCode() + version, 300));
  }

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    Path stateDir = Path.of(args[1]);
    Path expectations = Path.of(args[2]);
    String run = args[3];
    boolean sync = Boolean.parseBoolean(args[4]);
    int writers = Integer.parseInt(args[5]);
    DefaultCacheManager manager;
    Cache<String, String> cache;
    try {
      manager = start(kind, stateDir, sync);
      cache = manager.getCache("torture");
    } catch (Throwable t) {
      synchronized (out) {
        out.println(START_FAILED + " " + t);
        t.printStackTrace(out);
      }
      System.exit(3);
      return;
    }
    say(STARTED);
    try {
      verify(cache, Files.readAllLines(expectations));
    } catch (Throwable t) {
      synchronized (out) {
        out.println(CHECK_FAILED + " " + t);
        t.printStackTrace(out);
      }
      System.exit(4);
    }
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String prefix = run + "-" + w + "-";
      Thread writer = new Thread(() -> write(cache, prefix), "writer-" + w);
      writer.setDaemon(true);
      threads.add(writer);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopCleanly(threads, manager), "clean-stop"));
    threads.forEach(Thread::start);
    Thread.currentThread().join();
  }

  /**
   * SIGTERM, the way the node stops: no new writes, the ones under way finish, then the cache
   * manager stops. (Infinispan 14 acknowledges a put that is under way while its cache stops
   * without writing it to the store: once the stores are stopped, its persistence manager reports
   * itself read-only and the write to the store is skipped. Stopping the writers first keeps that
   * out of what this test checks.)
   */
  private static void stopCleanly(List<Thread> writers, DefaultCacheManager manager) {
    stopping = true;
    for (Thread writer : writers) {
      try {
        writer.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    manager.stop();
    say(STOPPED);
  }

  /**
   * Checks the expectations against one iteration of the cache (the store's bulk read), and every
   * 20th against a get (the store's load): one pass, so a restart costs little as the keys pile up.
   */
  private static void verify(Cache<String, String> cache, List<String> expectations) {
    Map<String, String> stored = new HashMap<>();
    cache.entrySet().forEach(entry -> stored.put(entry.getKey(), entry.getValue()));
    int checked = 0;
    int failures = 0;
    for (String line : expectations) {
      String[] fact = line.split(" ");
      String key = fact[1];
      String value = stored.get(key);
      if (checked++ % 20 == 0 && !Objects.equals(value, cache.get(key))) {
        say(WRONG + key + " (iteration and get disagree)");
        failures++;
      }
      if (line.startsWith(PUT)) {
        if (value == null) {
          say(MISSING + key);
          failures++;
        } else if (!value.equals(valueOf(key, Integer.parseInt(fact[2])))) {
          say(WRONG + key + " " + value.substring(0, Math.min(40, value.length())));
          failures++;
        }
      } else if (value != null) {
        say(RESURRECTED + key);
        failures++;
      }
    }
    say(VERIFIED + " checked=" + checked + " failures=" + failures + " size=" + stored.size());
  }

  /**
   * New keys; every 3rd, an overwrite of the key before; every 10th, a remove of the key 5 before.
   * Until killed, or until a clean stop begins.
   */
  private static void write(Cache<String, String> cache, String prefix) {
    for (long i = 0; !stopping; i++) {
      put(cache, prefix + i, 1);
      if (i % 3 == 2) {
        put(cache, prefix + (i - 1), 2);
      }
      if (i % 10 == 9) {
        String gone = prefix + (i - 5);
        say(REMOVING + gone);
        cache.remove(gone);
        say(REMOVED + gone);
      }
    }
  }

  private static void put(Cache<String, String> cache, String key, int version) {
    say(PUTTING + key);
    cache.put(key, valueOf(key, version));
    say(PUT + key + " " + version);
  }

  private static void say(String line) {
    out.println(line); // System.out flushes at every line: a line the parent reads was said
  }

  private static DefaultCacheManager start(String kind, Path stateDir, boolean sync) {
    GlobalConfigurationBuilder global = new GlobalConfigurationBuilder().nonClusteredDefault();
    global.globalState().enable().persistentLocation(stateDir.toString());
    global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER); // our hook stops it, after the writers
    ConfigurationBuilder cache = new ConfigurationBuilder();
    switch (kind) {
      case "log" -> cache.persistence().passivation(false)
          .addStore(LogStoreConfigurationBuilder.class).sync(sync).shared(false).preload(false).purgeOnStartup(false);
      // as the node's configuration had it: <file-store shared="false" preload="false" purge="false"/>
      case "sifs" -> cache.persistence().passivation(false)
          .addSoftIndexFileStore().shared(false).preload(false).purgeOnStartup(false);
      default -> throw new IllegalArgumentException("no store " + kind);
    }
    DefaultCacheManager manager = new DefaultCacheManager(global.build());
    manager.defineConfiguration("torture", cache.build());
    return manager;
  }
}
