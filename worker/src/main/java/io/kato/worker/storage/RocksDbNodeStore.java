package io.kato.worker.storage;

import io.kato.engine.NamedVector;
import io.kato.engine.StoredPattern;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded store: one RocksDB database per worker data directory ({@code <dataDir>/rocksdb}),
 * holding every node the worker owns and their sessions.
 *
 * <h2>Key layout</h2>
 *
 * One keyspace (the default column family). {@code <kb>} is the knowledge-base id with {@code %}
 * and {@code |} percent-encoded, so the {@code |} after it ends it unambiguously; strings become
 * bytes as WTF-8 ({@link Wtf8}: UTF-8, exact for lone surrogates too); {@code u32}/{@code u64}
 * are big-endian, so keys sort numerically. Values are {@link StoredValues} records unless said
 * otherwise.
 *
 * <pre>
 * m|&lt;kb&gt;                  node meta: [1][dimension i32][next vector ordinal u64]; its presence
 *                          lists the node in {@link #nodeIds()}
 * p|&lt;kb&gt;|&lt;seq u32&gt;         pattern record; a prefix scan yields learn sequence order
 * n|&lt;kb&gt;|&lt;name&gt;            u32 seq of the pattern (name index)
 * a|&lt;kb&gt;|&lt;symbol&gt;          the symbol's affinity map
 * v|&lt;kb&gt;|&lt;vector name&gt;     [ordinal u64][vector record]; ordinals keep insertion order
 * d|&lt;kb&gt;|&lt;position u32&gt;    deferred vector record, positions 0..n-1
 * s|&lt;session id&gt;          session record
 * S|&lt;kb&gt;|&lt;session id&gt;     empty: the node's session index
 * </pre>
 *
 * <h2>Commit</h2>
 *
 * One {@link WriteBatch} per commit. With durability {@code FSYNC} (the default) it is written
 * with {@code sync=true}: the WAL is fsynced before {@link #commit} returns, so an acknowledged
 * operation survives a process or machine crash; RocksDB groups concurrent writers (other nodes'
 * lanes) into one WAL write and fsync. With {@code PROCESS} the WAL record is written to the OS
 * before the call returns but not synced: it survives a crash or kill of the worker, not of the
 * machine. The
 * common observe costs two puts (the session and its index entry) plus one put when it deferred
 * a vector (only the new tail of the deferred list is written, see {@link CommittedNode}). A
 * clear-all is a range delete per node prefix inside the same batch; the batch's later puts
 * have newer sequence numbers and survive it. Only an indexed vector needs a read (its existing
 * ordinal).
 */
public final class RocksDbNodeStore implements NodeStore {
  static {
    RocksDB.loadLibrary();
  }

  private static final byte META_FORMAT = 1;
  private static final byte[] EMPTY = new byte[0];

  private final Path directory;
  private final Options options;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final WriteOptions commitWrites;
  private final RocksDB db;
  private final Map<String, CommittedNode> committed = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RocksDbNodeStore(Path directory, NodeStoreOptions.Durability durability) {
    this.directory = directory;
    this.blockCache = new LRUCache(64L << 20);
    this.bloomFilter = new BloomFilter(10, false);
    this.options = new Options()
        .setCreateIfMissing(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setMaxBackgroundJobs(2)
        .setKeepLogFileNum(3)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(blockCache).setFilterPolicy(bloomFilter));
    this.commitWrites = new WriteOptions().setSync(durability == NodeStoreOptions.Durability.FSYNC);
    try {
      this.db = RocksDB.open(options, directory.toString());
    } catch (RocksDBException e) {
      closeResources();
      throw new NodeStoreException("cannot open RocksDB at " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Opens (creating when missing) the store of a worker data directory. */
  public static RocksDbNodeStore open(Path dataDir) {
    return open(dataDir, NodeStoreOptions.Durability.FSYNC);
  }

  /**
   * Opens the store with the given durability: {@code FSYNC} syncs the WAL in every commit,
   * {@code PROCESS} only writes it (RocksDB hands each commit's WAL record to the OS before the
   * write returns, so it outlives the process).
   */
  public static RocksDbNodeStore open(Path dataDir, NodeStoreOptions.Durability durability) {
    Path directory = dataDir.resolve("rocksdb");
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    return new RocksDbNodeStore(directory, durability);
  }

  /** The RocksDB directory. */
  public Path directory() {
    return directory;
  }

  // ---- reads ----------------------------------------------------------------------------------

  @Override
  public NodeSnapshot load(String kbId) {
    ensureOpen();
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions read = new ReadOptions().setSnapshot(snapshot)) {
      byte[] meta = db.get(read, Keys.meta(kbId));
      int dimension = meta == null ? -1 : ByteBuffer.wrap(meta, 1, 4).getInt();
      long nextOrdinal = meta == null ? 0 : ByteBuffer.wrap(meta, 5, 8).getLong();

      List<StoredPattern> patterns = new ArrayList<>();
      scan(read, Keys.prefix('p', kbId), (key, value) -> patterns.add(StoredValues.decodePattern(value)));

      Map<String, Map<String, Double>> affinities = new LinkedHashMap<>();
      byte[] affinityPrefix = Keys.prefix('a', kbId);
      scan(read, affinityPrefix, (key, value) ->
          affinities.put(Wtf8.decode(key, affinityPrefix.length, key.length), StoredValues.decodeAffinities(value)));

      List<Map.Entry<Long, NamedVector>> ordered = new ArrayList<>();
      scan(read, Keys.prefix('v', kbId), (key, value) -> ordered.add(Map.entry(
          ByteBuffer.wrap(value, 0, 8).getLong(),
          StoredValues.decodeVector(Arrays.copyOfRange(value, 8, value.length)))));
      ordered.sort(Map.Entry.comparingByKey());
      List<NamedVector> vectors = new ArrayList<>(ordered.size());
      ordered.forEach(entry -> vectors.add(entry.getValue()));

      List<NamedVector> deferred = new ArrayList<>();
      scan(read, Keys.prefix('d', kbId), (key, value) -> deferred.add(StoredValues.decodeVector(value)));

      List<byte[]> sessionKeys = new ArrayList<>();
      byte[] indexPrefix = Keys.prefix('S', kbId);
      scan(read, indexPrefix, (key, value) ->
          sessionKeys.add(Keys.session(Wtf8.decode(key, indexPrefix.length, key.length))));
      List<SessionRecord> sessions = new ArrayList<>(sessionKeys.size());
      if (!sessionKeys.isEmpty()) {
        for (byte[] value : db.multiGetAsList(read, sessionKeys)) {
          if (value != null) {
            sessions.add(StoredValues.decodeSession(value));
          }
        }
      }
      sessions.sort(Comparator.comparing(SessionRecord::sessionId));

      CommittedNode node = committed.computeIfAbsent(kbId, k -> new CommittedNode());
      node.registered = meta != null;
      node.nextVectorOrdinal = nextOrdinal;
      List<NamedVector> deferredCopy = List.copyOf(deferred);
      node.deferredVectors = deferredCopy;
      return new NodeSnapshot(List.copyOf(patterns), Collections.unmodifiableMap(affinities), List.copyOf(vectors),
          dimension, deferredCopy, List.copyOf(sessions));
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB load of " + kbId + " failed: " + e.getMessage(), e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  @Override
  public Optional<SessionRecord> session(String sessionId) {
    ensureOpen();
    try {
      byte[] value = db.get(Keys.session(sessionId));
      return value == null ? Optional.empty() : Optional.of(StoredValues.decodeSession(value));
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB read of session " + sessionId + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean contains(String kbId) {
    ensureOpen();
    try {
      return db.get(Keys.meta(kbId)) != null;
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB read of node " + kbId + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> nodeIds() {
    ensureOpen();
    TreeSet<String> ids = new TreeSet<>();
    try (ReadOptions read = new ReadOptions()) {
      byte[] prefix = {'m', '|'};
      scan(read, prefix, (key, value) -> ids.add(Keys.unescape(Wtf8.decode(key, prefix.length, key.length))));
    }
    return List.copyOf(ids);
  }

  // ---- commit ---------------------------------------------------------------------------------

  @Override
  public void commit(String kbId, NodeChanges changes) {
    commitAll(kbId, List.of(changes));
  }

  @Override
  public boolean groupsCommits() {
    return true;
  }

  /** Group commit: every change set staged in order into one WriteBatch, one (synced) write. */
  @Override
  public void commitAll(String kbId, List<NodeChanges> batchOfChanges) {
    ensureOpen();
    if (batchOfChanges.stream().allMatch(NodeChanges::isEmpty)) {
      return;
    }
    CommittedNode node = committedNode(kbId);
    Staged staged = new Staged(node.registered, node.nextVectorOrdinal, node.deferredVectors);
    try (WriteBatch batch = new WriteBatch()) {
      for (NodeChanges changes : batchOfChanges) {
        if (!changes.isEmpty()) {
          stage(batch, kbId, changes, staged);
        }
      }
      db.write(commitWrites, batch);
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB commit of " + kbId + " failed: " + e.getMessage(), e);
    }
    node.registered = true;
    node.nextVectorOrdinal = staged.nextOrdinal;
    node.deferredVectors = staged.deferred;
  }

  /** The node's write state as the batch so far leaves it. */
  private static final class Staged {
    boolean registered;
    long nextOrdinal;
    List<NamedVector> deferred;
    /** Ordinals given to vectors earlier in this batch (not yet readable from the database). */
    final Map<String, Long> ordinals = new HashMap<>();
    /** A clear-all earlier in this batch: what the database still shows is gone. */
    boolean cleared;

    Staged(boolean registered, long nextOrdinal, List<NamedVector> deferred) {
      this.registered = registered;
      this.nextOrdinal = nextOrdinal;
      this.deferred = deferred;
    }
  }

  private void stage(WriteBatch batch, String kbId, NodeChanges changes, Staged staged) throws RocksDBException {
    if (changes.clearAll()) {
      for (char tag : new char[] {'p', 'n', 'a', 'v', 'd'}) {
        byte[] prefix = Keys.prefix(tag, kbId);
        batch.deleteRange(prefix, Keys.prefixEnd(prefix));
      }
      staged.deferred = List.of();
      staged.ordinals.clear();
      staged.cleared = true;
    }
    for (StoredPattern pattern : changes.patterns()) {
      batch.put(Keys.pattern(kbId, pattern.sequence()), StoredValues.encodePattern(pattern));
      batch.put(Keys.withSuffix(Keys.prefix('n', kbId), pattern.name()), u32(pattern.sequence()));
    }
    for (Map.Entry<String, Map<String, Double>> entry : changes.affinities().entrySet()) {
      batch.put(Keys.withSuffix(Keys.prefix('a', kbId), entry.getKey()),
          StoredValues.encodeAffinities(entry.getValue()));
    }
    for (NamedVector vector : changes.indexedVectors()) {
      byte[] key = Keys.withSuffix(Keys.prefix('v', kbId), vector.name());
      Long ordinal = staged.ordinals.get(vector.name());
      if (ordinal == null && !staged.cleared) {
        byte[] existing = db.get(key);
        ordinal = existing == null ? null : ByteBuffer.wrap(existing, 0, 8).getLong();
      }
      if (ordinal == null) {
        ordinal = staged.nextOrdinal++;
      }
      staged.ordinals.put(vector.name(), ordinal);
      byte[] record = StoredValues.encodeVector(vector);
      batch.put(key, ByteBuffer.allocate(8 + record.length).putLong(ordinal).put(record).array());
    }
    List<NamedVector> nextDeferred = changes.deferredVectors();
    if (nextDeferred != null) {
      List<NamedVector> deferred = staged.deferred;
      int from = CommittedNode.appendFrom(deferred, nextDeferred);
      if (from < 0) {
        if (deferred == null) {
          byte[] prefix = Keys.prefix('d', kbId);
          batch.deleteRange(prefix, Keys.prefixEnd(prefix));
        } else {
          for (int i = nextDeferred.size(); i < deferred.size(); i++) {
            batch.delete(Keys.deferred(kbId, i));
          }
        }
        from = 0;
      }
      for (int i = from; i < nextDeferred.size(); i++) {
        batch.put(Keys.deferred(kbId, i), StoredValues.encodeVector(nextDeferred.get(i)));
      }
      staged.deferred = List.copyOf(nextDeferred);
    }
    if (!staged.registered || changes.clearAll() || !changes.indexedVectors().isEmpty()) {
      // an unregistered node has no meta yet, so its dimension is unset unless this commit sets it
      int dimension = changes.clearAll() || !changes.indexedVectors().isEmpty() ? changes.vectorDimension() : -1;
      batch.put(Keys.meta(kbId), meta(dimension, staged.nextOrdinal));
      staged.registered = true;
    }
    for (SessionRecord session : changes.sessionsPut()) {
      batch.put(Keys.session(session.sessionId()), StoredValues.encodeSession(session));
      batch.put(Keys.withSuffix(Keys.prefix('S', session.kbId()), session.sessionId()), EMPTY);
    }
    for (String sessionId : changes.sessionsDeleted()) {
      String owner = kbId;
      byte[] existing = db.get(Keys.session(sessionId));
      if (existing != null) {
        owner = StoredValues.decodeSession(existing).kbId();
      }
      batch.delete(Keys.session(sessionId));
      batch.delete(Keys.withSuffix(Keys.prefix('S', owner), sessionId));
      if (!owner.equals(kbId)) {
        batch.delete(Keys.withSuffix(Keys.prefix('S', kbId), sessionId));
      }
    }
  }

  /** The node's cached write state, read from the meta key the first time. */
  private CommittedNode committedNode(String kbId) {
    return committed.computeIfAbsent(kbId, k -> {
      CommittedNode node = new CommittedNode();
      try {
        byte[] meta = db.get(Keys.meta(kbId));
        if (meta != null) {
          node.registered = true;
          node.nextVectorOrdinal = ByteBuffer.wrap(meta, 5, 8).getLong();
        }
      } catch (RocksDBException e) {
        throw new NodeStoreException("RocksDB read of node meta " + kbId + " failed: " + e.getMessage(), e);
      }
      return node;
    });
  }

  private static byte[] meta(int dimension, long nextOrdinal) {
    return ByteBuffer.allocate(13).put(META_FORMAT).putInt(dimension).putLong(nextOrdinal).array();
  }

  private static byte[] u32(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }

  private void scan(ReadOptions read, byte[] prefix, BiConsumer<byte[], byte[]> action) {
    try (RocksIterator it = db.newIterator(read)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!Keys.startsWith(key, prefix)) {
          break;
        }
        action.accept(key, it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB scan failed: " + e.getMessage(), e);
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public String kind() {
    return "rocksdb";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new NodeStoreException("RocksDB close failed: " + e.getMessage(), e);
    } finally {
      closeResources();
    }
  }

  private void closeResources() {
    if (commitWrites != null) {
      commitWrites.close();
    }
    options.close();
    bloomFilter.close();
    blockCache.close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the RocksDB node store at " + directory + " is closed");
    }
  }

  /** Key construction (layout in the class comment). */
  static final class Keys {
    private Keys() {}

    /** {@code <tag>|<kb>|}. */
    static byte[] prefix(char tag, String kbId) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(kbId.length() + 3);
      out.write(tag);
      out.write('|');
      Wtf8.encodeTo(escape(kbId), out);
      out.write('|');
      return out.toByteArray();
    }

    static byte[] meta(String kbId) {
      byte[] prefix = prefix('m', kbId);
      return Arrays.copyOf(prefix, prefix.length - 1);
    }

    static byte[] pattern(String kbId, int sequence) {
      return withSuffix(prefix('p', kbId), u32(sequence));
    }

    static byte[] deferred(String kbId, int position) {
      return withSuffix(prefix('d', kbId), u32(position));
    }

    static byte[] session(String sessionId) {
      return withSuffix(new byte[] {'s', '|'}, sessionId);
    }

    static byte[] withSuffix(byte[] prefix, String suffix) {
      return withSuffix(prefix, Wtf8.encode(suffix));
    }

    static byte[] withSuffix(byte[] prefix, byte[] suffix) {
      byte[] key = Arrays.copyOf(prefix, prefix.length + suffix.length);
      System.arraycopy(suffix, 0, key, prefix.length, suffix.length);
      return key;
    }

    /** The first key after every key starting with the prefix (which ends in {@code |}). */
    static byte[] prefixEnd(byte[] prefix) {
      byte[] end = prefix.clone();
      end[end.length - 1]++;
      return end;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
      return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static String escape(String kbId) {
      if (kbId.indexOf('%') < 0 && kbId.indexOf('|') < 0) {
        return kbId;
      }
      return kbId.replace("%", "%25").replace("|", "%7C");
    }

    static String unescape(String escaped) {
      if (escaped.indexOf('%') < 0) {
        return escaped;
      }
      StringBuilder out = new StringBuilder(escaped.length());
      for (int i = 0; i < escaped.length(); i++) {
        char c = escaped.charAt(i);
        if (c == '%') {
          out.append(escaped.startsWith("%7C", i) ? '|' : '%');
          i += 2;
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
