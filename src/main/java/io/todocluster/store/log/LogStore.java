package io.todocluster.store.log;

import io.reactivex.rxjava3.core.Flowable;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.infinispan.commons.configuration.ConfiguredBy;
import org.infinispan.commons.io.ByteBuffer;
import org.infinispan.commons.persistence.Store;
import org.infinispan.commons.util.IntSet;
import org.infinispan.commons.util.concurrent.CompletableFutures;
import org.infinispan.distribution.ch.KeyPartitioner;
import org.infinispan.marshall.persistence.PersistenceMarshaller;
import org.infinispan.persistence.spi.InitializationContext;
import org.infinispan.persistence.spi.MarshallableEntry;
import org.infinispan.persistence.spi.MarshallableEntryFactory;
import org.infinispan.persistence.spi.NonBlockingStore;
import org.infinispan.persistence.spi.PersistenceException;
import org.infinispan.util.concurrent.BlockingManager;
import org.reactivestreams.Publisher;

/**
 * An Infinispan store on an {@link AppendLog}: it keeps the bytes of each entry exactly as the
 * persistence marshaller made them, so it works for any key and value type. Reads and fsyncs run
 * on Infinispan's blocking threads; answers that need only the in-memory index do not switch thread,
 * and neither do writes to a log that does not fsync (see {@link #append}).
 *
 * <p>Non-segmented: one log per cache; Infinispan filters by segment for such a store, and the
 * publishers filter too. In XML (or in code, {@link LogStoreConfigurationBuilder}):
 *
 * <pre>{@code
 * <persistence passivation="false">
 *   <store class="io.todocluster.store.log.LogStore" shared="false" preload="false" purge="false" segmented="false">
 *     <property name="sync">false</property>
 *   </store>
 * </persistence>
 * }</pre>
 *
 * See {@link LogStoreSettings} for the properties. The log compacts when the store starts.
 */
@ConfiguredBy(LogStoreConfiguration.class)
@Store(shared = false)
public class LogStore<K, V> implements NonBlockingStore<K, V> {

  private BlockingManager blocking;
  private MarshallableEntryFactory<K, V> entryFactory;
  private PersistenceMarshaller marshaller;
  private KeyPartitioner keyPartitioner;
  private InitializationContext ctx;
  private volatile AppendLog appendLog;
  private boolean sync;
  /**
   * The segment of every key seen since the start: Infinispan asks a non-segmented store for one
   * segment at a time (state transfer, conflict resolution), and without this each such question
   * unmarshals every key of the log to find the few of that segment.
   */
  private final Map<LogIndex.Key, Integer> segmentOfKey = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<Void> start(InitializationContext ctx) {
    this.ctx = ctx;
    this.blocking = ctx.getBlockingManager();
    this.entryFactory = ctx.getMarshallableEntryFactory();
    this.marshaller = ctx.getPersistenceMarshaller();
    this.keyPartitioner = ctx.getKeyPartitioner();
    LogStoreSettings settings = LogStoreSettings.from(ctx.getConfiguration().properties(),
        ctx.getGlobalConfiguration().globalState(), ctx.getCache().getName());
    this.sync = settings.sync();
    return blocking.runBlocking(() -> {
      try {
        appendLog = AppendLog.open(settings.directory(), settings.sync(), ctx.getTimeService()::wallClockTime);
      } catch (IOException e) {
        throw new PersistenceException("the log store of cache " + ctx.getCache().getName() + " cannot open "
            + settings.directory(), e);
      }
    }, "log-store-start");
  }

  @Override
  public CompletionStage<Void> stop() {
    AppendLog open = appendLog;
    if (open == null) {
      return CompletableFutures.completedNull();
    }
    return blocking.runBlocking(() -> io(() -> {
      open.close();
      return null;
    }), "log-store-stop");
  }

  @Override
  public Set<Characteristic> characteristics() {
    return EnumSet.of(Characteristic.BULK_READ, Characteristic.EXPIRATION);
  }

  @Override
  public CompletionStage<Boolean> isAvailable() {
    AppendLog open = appendLog;
    return CompletableFuture.completedFuture(open != null && open.isWritable());
  }

  @Override
  public CompletionStage<MarshallableEntry<K, V>> load(int segment, Object key) {
    byte[] keyBytes = keyBytes(key);
    if (!appendLog.contains(keyBytes)) {
      return CompletableFutures.completedNull(); // the index knows: no thread switch
    }
    return blocking.supplyBlocking(() -> io(() -> {
      StoredEntry stored = appendLog.get(keyBytes);
      if (stored == null) {
        return null;
      }
      MarshallableEntry<K, V> entry = toEntry(key, stored);
      return entry.isExpired(ctx.getTimeService().wallClockTime()) ? null : entry;
    }), "log-store-load");
  }

  @Override
  public CompletionStage<Boolean> containsKey(int segment, Object key) {
    return CompletableFuture.completedFuture(appendLog.contains(keyBytes(key)));
  }

  @Override
  public CompletionStage<Void> write(int segment, MarshallableEntry<? extends K, ? extends V> entry) {
    byte[] keyBytes = bytes(entry.getKeyBytes());
    segmentOfKey.put(new LogIndex.Key(keyBytes), keyPartitioner.getSegment(entry.getKey()));
    return append(() -> {
      appendLog.put(new StoredEntry(keyBytes, bytes(entry.getValueBytes()),
          bytes(entry.getMetadataBytes()), bytes(entry.getInternalMetadataBytes()), entry.created(),
          entry.lastUsed(), entry.expiryTime()));
      return null;
    }, "log-store-write");
  }

  @Override
  public CompletionStage<Boolean> delete(int segment, Object key) {
    byte[] keyBytes = keyBytes(key);
    return append(() -> {
      boolean deleted = appendLog.delete(keyBytes);
      segmentOfKey.remove(new LogIndex.Key(keyBytes));
      return deleted;
    }, "log-store-delete");
  }

  /**
   * An append to the log. Without fsync it is a positioned write into the OS's page cache, a few
   * microseconds, done on the calling thread: handing it to a blocking thread and the result back
   * cost two thread switches per write on every owner, which on this project's 2-core machines
   * (where a futex wake-up is a hypervisor exit) cost more than the write (async-profiler, issue 14).
   * With fsync it waits for the disk, so it runs on a blocking thread.
   */
  private <T> CompletionStage<T> append(FileWork<T> work, String name) {
    if (sync) {
      return blocking.supplyBlocking(() -> io(work), name);
    }
    try {
      return CompletableFuture.completedFuture(io(work));
    } catch (PersistenceException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> clear() {
    return blocking.runBlocking(() -> io(() -> {
      appendLog.clear();
      segmentOfKey.clear();
      return null;
    }), "log-store-clear");
  }

  @Override
  public Publisher<K> publishKeys(IntSet segments, Predicate<? super K> filter) {
    return Flowable.defer(() -> Flowable.fromIterable(appendLog.keys(keyBytes -> inSegments(segments, keyBytes))))
        .map(this::<K>unmarshal)
        .filter(key -> filter == null || filter.test(key));
  }

  @Override
  public Publisher<MarshallableEntry<K, V>> publishEntries(IntSet segments, Predicate<? super K> filter,
      boolean includeValues) {
    return blocking.blockingPublisher(Flowable.defer(() -> Flowable.fromIterable(
            appendLog.keys(keyBytes -> inSegments(segments, keyBytes))))
        .mapOptional(keyBytes -> {
          K key = unmarshal(keyBytes);
          if (filter != null && !filter.test(key)) {
            return Optional.empty();
          }
          StoredEntry stored = appendLog.get(keyBytes); // null when deleted or expired since the snapshot
          return Optional.ofNullable(stored == null ? null : toEntry(key, stored));
        }));
  }

  @Override
  public CompletionStage<Long> size(IntSet segments) {
    return Flowable.fromPublisher(publishKeys(segments, null)).count().toCompletionStage();
  }

  @Override
  public CompletionStage<Long> approximateSize(IntSet segments) {
    return CompletableFuture.completedFuture((long) appendLog.size());
  }

  @Override
  public Publisher<MarshallableEntry<K, V>> purgeExpired() {
    return blocking.blockingPublisher(Flowable.defer(() -> Flowable.fromIterable(appendLog.removeExpired()))
        .doOnNext(stored -> segmentOfKey.remove(new LogIndex.Key(stored.key())))
        .map(stored -> toEntry(unmarshal(stored.key()), stored)));
  }

  /** The open log, for tests and tools that look at the files under a running cache. */
  public AppendLog appendLog() {
    return appendLog;
  }

  /** Whether a key is in one of these segments (all when null); a key's segment is computed once. */
  private boolean inSegments(IntSet segments, byte[] keyBytes) {
    if (segments == null) {
      return true;
    }
    int segment = segmentOfKey.computeIfAbsent(new LogIndex.Key(keyBytes),
        key -> keyPartitioner.getSegment(unmarshal(keyBytes)));
    return segments.contains(segment);
  }

  private MarshallableEntry<K, V> toEntry(Object key, StoredEntry stored) {
    return entryFactory.create(key, buffer(stored.value()), buffer(stored.metadata()),
        buffer(stored.internalMetadata()), stored.created(), stored.lastUsed());
  }

  /** The key as the persistence marshaller writes it: the same bytes as a written entry's key bytes. */
  private byte[] keyBytes(Object key) {
    try {
      return bytes(marshaller.objectToBuffer(key));
    } catch (IOException e) {
      throw new PersistenceException("cannot marshal the key " + key, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PersistenceException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T unmarshal(byte[] bytes) {
    try {
      return (T) marshaller.objectFromByteBuffer(bytes);
    } catch (IOException | ClassNotFoundException e) {
      throw new PersistenceException("cannot unmarshal a stored key", e);
    }
  }

  private ByteBuffer buffer(byte[] bytes) {
    return bytes == null ? null : ctx.getByteBufferFactory().newByteBuffer(bytes);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] array = buffer.getBuf();
    if (buffer.getOffset() == 0 && buffer.getLength() == array.length) {
      return array;
    }
    return Arrays.copyOfRange(array, buffer.getOffset(), buffer.getOffset() + buffer.getLength());
  }

  private interface FileWork<T> {
    T run() throws IOException;
  }

  /** Runs file work, where a checked IOException becomes Infinispan's exception. */
  private static <T> T io(FileWork<T> work) {
    try {
      return work.run();
    } catch (IOException e) {
      throw new PersistenceException(e);
    }
  }
}
