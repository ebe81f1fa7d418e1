package io.todocluster.store;

import io.todocluster.cluster.Formation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.infinispan.Cache;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.manager.EmbeddedCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's stored copies from before its start. They are moved aside before the store's caches
 * start ({@link #setAside}), because Infinispan, on a join, keeps the first member's copy of a key
 * and drops or overwrites the joiner's, whichever is newer: after a restart of the whole cluster in
 * the "wrong" order that lost most acknowledged writes. Set aside, they are either offered to the
 * forming cluster, merged key by key with the newest version winning, or dropped when the cluster
 * already serves (see {@link Formation}). Until one of the two has completed they stay on disk, so
 * a node killed while it recovers loses nothing: the next start sets its store aside beside them.
 */
public final class StoreRecovery implements Formation.LocalCopies {

  private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

  static final String DIRECTORY = "recovery";
  /** Keys merged at a time: enough to keep the cluster busy, few enough to bound memory. */
  private static final int BATCH = 256;

  private final Vertx vertx;
  private final EmbeddedCacheManager manager;
  private final TodoStore store;
  private final Path root;
  private final Function<Path, Configuration> reader;

  /**
   * @param reader the configuration of a local cache that reads one set-aside cache directory
   */
  public StoreRecovery(Vertx vertx, EmbeddedCacheManager manager, TodoStore store, Path storeRoot,
      Function<Path, Configuration> reader) {
    this.vertx = vertx;
    this.manager = manager;
    this.store = store;
    // under the store's root, beside the caches' own directories
    this.root = storeRoot.resolve(DIRECTORY);
    this.reader = reader;
  }

  /**
   * Moves the store caches' directories under {@code <store root>/recovery/<n>/} (blocking; before
   * the caches start). Earlier set-aside copies that were never offered nor dropped are kept.
   */
  public static void setAside(Path storeRoot, List<String> caches) {
    try {
      List<Path> present = new ArrayList<>();
      for (String cache : caches) {
        Path dir = storeRoot.resolve(cache);
        if (Files.isDirectory(dir)) {
          present.add(dir);
        }
      }
      if (present.isEmpty()) {
        return;
      }
      Path into = storeRoot.resolve(DIRECTORY).resolve(Long.toString(System.currentTimeMillis()));
      Files.createDirectories(into);
      for (Path dir : present) {
        Files.move(dir, into.resolve(dir.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      log.info("the store's copies from before this start are set aside in {}", into);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set the store's copies aside", e);
    }
  }

  /** Merges every set-aside copy into the store, newest version first; returns how many keys it wrote. */
  @Override
  public Future<Long> offer() {
    AtomicLong written = new AtomicLong();
    Future<Void> all = Future.succeededFuture();
    for (Path generation : generations()) {
      for (String cache : TodoStore.CACHES) {
        Path dir = generation.resolve(cache);
        if (Files.isDirectory(dir)) {
          all = all.compose(v -> mergeDirectory(cache, dir, written));
        }
      }
    }
    return all.map(v -> written.get());
  }

  @Override
  public Future<Void> discard() {
    return vertx.executeBlocking(() -> {
      delete(root);
      return null;
    }, false);
  }

  private List<Path> generations() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Future<Void> mergeDirectory(String cacheName, Path dir, AtomicLong written) {
    String readerName = "recovery-" + cacheName + "-" + dir.getParent().getFileName();
    return vertx.executeBlocking(() -> {
      manager.defineConfiguration(readerName, reader.apply(dir));
      try {
        return manager.<String, String>getCache(readerName);
      } catch (RuntimeException cannotRead) {
        manager.undefineConfiguration(readerName);
        throw cannotRead;
      }
    }, false).compose(cache -> {
      Iterator<Map.Entry<String, String>> entries = cache.entrySet().iterator();
      Promise<Void> done = Promise.promise();
      nextBatch(cacheName, entries, written, done);
      return done.future().eventually(() -> vertx.executeBlocking(() -> {
        cache.stop();
        manager.undefineConfiguration(readerName);
        return null;
      }, false));
    });
  }

  private void nextBatch(String cacheName, Iterator<Map.Entry<String, String>> entries, AtomicLong written,
      Promise<Void> done) {
    vertx.executeBlocking(() -> {
      List<Map.Entry<String, String>> batch = new ArrayList<>(BATCH);
      while (batch.size() < BATCH && entries.hasNext()) {
        Map.Entry<String, String> e = entries.next();
        batch.add(Map.entry(e.getKey(), e.getValue()));
      }
      return batch;
    }, false).compose(batch -> {
      List<Future<Boolean>> merges = batch.stream().map(e -> store.mergeNewest(cacheName, e.getKey(), e.getValue())).toList();
      return Future.all(merges).map(all -> {
        merges.forEach(m -> written.addAndGet(m.result() ? 1 : 0));
        return batch.size();
      });
    }).onFailure(done::fail).onSuccess(size -> {
      if (size < BATCH) {
        done.complete();
      } else {
        nextBatch(cacheName, entries, written, done);
      }
    });
  }

  /** A local cache that reads one set-aside cache directory, as the node's store wrote it. */
  public static Configuration reader(Path dir) {
    org.infinispan.configuration.cache.ConfigurationBuilder builder = new org.infinispan.configuration.cache.ConfigurationBuilder();
    builder.persistence().passivation(false)
        .addStore(io.todocluster.store.log.LogStoreConfigurationBuilder.class)
        .location(dir.toAbsolutePath().toString())
        .preload(false).shared(false);
    return builder.build();
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
