package io.kato.worker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kato.common.ErrorCode;
import io.kato.common.json.ParsedObservation;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Processor;
import io.kato.worker.storage.MemoryNodeStore;
import io.kato.worker.storage.SessionRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host's session semantics, ordering, isolation, fencing, idempotency and back-pressure. */
class ProcessorHostTest {

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final MemoryNodeStore store = new MemoryNodeStore();
  private ProcessorHost host = new ProcessorHost(HostOptions.defaults(), store, clock);

  @AfterEach
  void close() {
    host.close();
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ParsedObservation strings(String... strings) {
    return new ParsedObservation(List.of(strings), List.of(), Map.of(), Map.of());
  }

  private String session(String nodeId) {
    return await(host.createSession(nodeId, Map.of(), Map.of(), 0, "", CallMeta.NONE)).sessionId();
  }

  private static ErrorCode codeOf(Throwable t) {
    return Failures.describe(t).code();
  }

  @Test
  void aReadOfWhatTheObserveJustSearchedIsAnsweredFromTheMemoUnlessItIsOff() {
    for (int memo : new int[] {Processor.DEFAULT_MEMO_CAPACITY, 0}) {
      ProcessorHost h = new ProcessorHost(HostOptions.defaults().withPredictionMemoSize(memo), new MemoryNodeStore(),
          clock);
      String learner = await(h.createSession("memo", Map.of(), Map.of(), 0, "", CallMeta.NONE)).sessionId();
      await(h.observe(learner, strings("a"), CallMeta.NONE));
      await(h.observe(learner, strings("b"), CallMeta.NONE));
      await(h.learn(learner, CallMeta.NONE));
      String reader = await(h.createSession("memo", Map.of(), Map.of(), 0, "", CallMeta.NONE)).sessionId();
      await(h.observe(reader, strings("a"), CallMeta.NONE));
      await(h.observe(reader, strings("b"), CallMeta.NONE));

      assertThat(await(h.predictions(reader, CallMeta.NONE)).predictions()).hasSize(1);
      assertThat(await(h.predictions(reader, CallMeta.NONE)).predictions()).hasSize(1);

      assertThat(h.memoizedPredictions()).as("memo of %d predictions", memo).isEqualTo(memo == 0 ? 0 : 2);
      h.close();
    }
  }

  @Test
  void observationsOfOneSessionApplyInArrivalOrder() {
    String s = session("order");
    List<CompletableFuture<ProcessorHost.Observed>> pending = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pending.add(host.observe(s, strings("e" + i), CallMeta.NONE));
    }
    pending.forEach(ProcessorHostTest::await);
    List<List<String>> stm = await(host.readSession(s, CallMeta.NONE)).state().stm();
    assertThat(stm).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(stm.get(i)).containsExactly("e" + i);
    }
  }

  @Test
  void aMutationWhoseDeadlinePassedBeforeItStartedIsRefusedAndNotApplied() throws Exception {
    String s = session("deadline");
    CompletableFuture<ProcessorHost.Observed> late = host.observe(s, strings("late"),
        CallMeta.withDeadline(0, "", 0));
    Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> await(late));
    assertThat(codeOf(refused)).isEqualTo(ErrorCode.GATEWAY_TIMEOUT);
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).isEmpty();
    await(host.observe(s, strings("in-time"), CallMeta.withDeadline(0, "", 10_000)));
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).containsExactly(List.of("in-time"));
  }

  @Test
  void nodesAreIsolatedAndSessionsOfANodeShareItsKnowledgeBase() {
    String a1 = session("node-a");
    String a2 = session("node-a");
    String b = session("node-b");
    await(host.observe(a1, strings("x", "y"), CallMeta.NONE));
    String name = await(host.learn(a1, CallMeta.NONE)).patternName();

    assertThat(await(host.pattern("node-a", name, CallMeta.NONE))).isPresent();
    assertThat(await(host.pattern("node-b", name, CallMeta.NONE))).isEmpty();
    await(host.observe(a2, strings("x", "y"), CallMeta.NONE));
    await(host.observe(b, strings("x", "y"), CallMeta.NONE));
    assertThat(await(host.predictions(a2, CallMeta.NONE)).predictions()).hasSize(1);
    assertThat(await(host.predictions(b, CallMeta.NONE)).predictions()).isEmpty();
  }

  @Test
  void sessionsExpireAfterTheirTtlAndAutoExtendOnAccess() {
    String s = await(host.createSession("ttl", Map.of(), Map.of(), 100, "", CallMeta.NONE)).sessionId();
    clock.advance(Duration.ofSeconds(90));
    await(host.observe(s, strings("a"), CallMeta.NONE)); // slides the expiry to now + 100
    clock.advance(Duration.ofSeconds(90));
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).hasSize(1);
    clock.advance(Duration.ofSeconds(101));
    assertThatThrownBy(() -> await(host.readSession(s, CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.SESSION_NOT_FOUND));
    assertThat(host.sessionCount()).isZero();
    assertThat(store.session(s)).isEmpty(); // expired sessions are removed from storage too
  }

  @Test
  void theSweeperRemovesExpiredSessionsWithoutAnAccess() throws Exception {
    host.close();
    host = new ProcessorHost(HostOptions.defaults().withSweepInterval(Duration.ofMillis(50)), store, clock);
    String s = await(host.createSession("sweep", Map.of(), Map.of(), 10, "", CallMeta.NONE)).sessionId();
    assertThat(host.sessionCount()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(11));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.session(s).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(store.session(s)).isEmpty();
    assertThat(host.sessionCount()).isZero();
  }

  @Test
  void withoutAutoExtendTheExpiryIsFixed() {
    host.close();
    host = new ProcessorHost(HostOptions.defaults().withSessionTtl(Duration.ofSeconds(3600), false), store, clock);
    String s = await(host.createSession("fixed", Map.of(), Map.of(), 100, "", CallMeta.NONE)).sessionId();
    clock.advance(Duration.ofSeconds(90));
    await(host.observe(s, strings("a"), CallMeta.NONE));
    clock.advance(Duration.ofSeconds(20));
    assertThatThrownBy(() -> await(host.observe(s, strings("b"), CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.SESSION_NOT_FOUND));
  }

  @Test
  void aRepeatedRequestIdIsAppliedOnce() {
    String s = session("idempotent");
    CallMeta retry = new CallMeta(0, "req-1");
    ProcessorHost.Observed first = await(host.observe(s, strings("a"), retry));
    ProcessorHost.Observed second = await(host.observe(s, strings("a"), retry));
    assertThat(second.uniqueId()).isEqualTo(first.uniqueId());
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).hasSize(1);
  }

  @Test
  void anOlderEpochIsFencedAndANewerOneAdopted() {
    String s = session("epochs");
    await(host.observe(s, strings("a"), new CallMeta(3, "")));
    assertThatThrownBy(() -> await(host.observe(s, strings("b"), new CallMeta(2, ""))))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.STALE_EPOCH));
    await(host.observe(s, strings("c"), new CallMeta(4, "")));
    assertThat(await(host.nodeStatus("epochs", CallMeta.NONE)).epoch()).isEqualTo(4);
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).containsExactly(List.of("a"), List.of("c"));
  }

  @Test
  void readsOfUnknownNodesCreateNothingWhileStoredNodesAreReadAfterARestart() {
    assertThat(await(host.symbolStats("nobody", CallMeta.NONE))).isEmpty();
    assertThat(await(host.implicitSessionClock("nobody", CallMeta.NONE))).isEqualTo(
        new ProcessorHost.ImplicitClock(0, 0));
    assertThat(await(host.pattern("nobody", "PTRN|00", CallMeta.NONE))).isEmpty();
    assertThat(await(host.nodeStats("nobody", CallMeta.NONE)).loaded()).isFalse();
    assertThat(host.loadedNodes()).isZero();
    assertThat(store.nodeIds()).isEmpty();

    String s = session("kept");
    await(host.observe(s, strings("a", "b"), CallMeta.NONE));
    String name = await(host.learn(s, CallMeta.NONE)).patternName();
    host.close();
    host = new ProcessorHost(HostOptions.defaults(), store, clock); // a restart on the same store
    assertThat(host.loadedNodes()).isZero();
    assertThat(await(host.symbolStats("kept", CallMeta.NONE))).extracting(Processor.SymbolStats::name)
        .containsExactly("a", "b");
    assertThat(await(host.pattern("kept", name, CallMeta.NONE))).isPresent();
    assertThat(host.loadedNodes()).isEqualTo(1);
    // an epoch is node state the fencing needs: such a read takes the node in even when unknown
    assertThat(await(host.nodeStatus("fenced", new CallMeta(4, ""))).epoch()).isEqualTo(4);
    assertThat(host.loadedNodes()).isEqualTo(2);
  }

  @Test
  void theActivityCountersCountWhatWasDone() {
    String s = session("counted");
    await(host.observe(s, strings("a"), CallMeta.NONE));
    await(host.learn(s, CallMeta.NONE)); // one symbol: no pattern
    await(host.observe(s, strings("a", "b"), CallMeta.NONE));
    await(host.observe(s, strings("c"), new CallMeta(0, "once")));
    await(host.observe(s, strings("c"), new CallMeta(0, "once"))); // a retry: not counted again
    await(host.learn(s, CallMeta.NONE));
    await(host.observeSequence(s, List.of(new ProcessorHost.SequenceItem(strings("x", "y"), null),
        new ProcessorHost.SequenceItem(strings("z"), null)), true, false, false, CallMeta.NONE));
    await(host.predictions(s, CallMeta.NONE));
    ProcessorHost.WorkerStats stats = await(host.workerStats(10));
    assertThat(stats.observationsProcessed()).isEqualTo(5);
    assertThat(stats.patternsLearned()).as("the one-symbol learns store nothing").isEqualTo(2);
    assertThat(stats.predictionsGenerated()).isEqualTo(1);
    assertThat(stats.storeOperations()).isPositive();
    assertThat(stats.storeErrors()).isZero();
  }

  /**
   * A real in-memory store that counts group commits, can hold the first one (a slow disk, to
   * fill a node's queue) and can fail the next one.
   */
  static final class CountingStore implements io.kato.worker.storage.NodeStore {
    final MemoryNodeStore delegate = new MemoryNodeStore();
    final List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    volatile boolean gated;
    volatile boolean failNext;
    volatile boolean shared;
    /** Fails the group commit with this number (0 = the next one after setting it), once. */
    volatile int failCommitIn = -1;

    @Override
    public boolean shared() {
      return shared;
    }

    @Override
    public boolean groupsCommits() {
      return true;
    }

    @Override
    public void commitAll(String kbId, List<io.kato.worker.storage.NodeChanges> batch) {
      if (gated) {
        gated = false;
        entered.countDown();
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failNext || failCommitIn == 0) {
        failNext = false;
        failCommitIn = -1;
        throw new io.kato.worker.storage.NodeStoreException("disk full", null);
      }
      if (failCommitIn > 0) {
        failCommitIn--;
      }
      batchSizes.add(batch.size());
      delegate.commitAll(kbId, batch);
    }

    @Override
    public void commit(String kbId, io.kato.worker.storage.NodeChanges changes) {
      commitAll(kbId, List.of(changes));
    }

    @Override
    public io.kato.worker.storage.NodeSnapshot load(String kbId) {
      return delegate.load(kbId);
    }

    @Override
    public java.util.Optional<SessionRecord> session(String sessionId) {
      return delegate.session(sessionId);
    }

    @Override
    public boolean contains(String kbId) {
      return delegate.contains(kbId);
    }

    @Override
    public List<String> nodeIds() {
      return delegate.nodeIds();
    }

    @Override
    public String kind() {
      return "counting-memory";
    }

    @Override
    public void close() {}
  }

  @Test
  void mutationsQueuedOnANodeShareOneDurableWriteAndAreAnsweredAfterIt() throws Exception {
    host.close();
    CountingStore counting = new CountingStore();
    host = new ProcessorHost(HostOptions.defaults(), counting, clock);
    String s = session("grouped");
    counting.batchSizes.clear();
    counting.gated = true;
    List<CompletableFuture<ProcessorHost.Observed>> pending = new ArrayList<>();
    pending.add(host.observe(s, strings("e0"), CallMeta.NONE));
    assertThat(counting.entered.await(10, TimeUnit.SECONDS)).isTrue(); // e0 is on the disk
    for (int i = 1; i < 100; i++) {
      pending.add(host.observe(s, strings("e" + i), CallMeta.NONE));
    }
    Thread.sleep(50);
    assertThat(pending.subList(1, 100)).as("no answer before its write is durable").noneMatch(f -> f.isDone());
    counting.gate.countDown();
    for (int i = 0; i < 100; i++) {
      assertThat(pending.get(i).get(10, TimeUnit.SECONDS).stm()).hasSize(i + 1);
    }
    // e0 alone, then the 99 queued meanwhile in runs (at most 64 tasks or 5 ms each): without
    // group commit this would be 100 writes
    assertThat(counting.batchSizes).hasSizeLessThanOrEqualTo(25);
    assertThat(counting.batchSizes.stream().mapToInt(Integer::intValue).max().orElse(0)).isGreaterThan(4);
    assertThat(counting.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    host.close();
    host = new ProcessorHost(HostOptions.defaults(), counting, clock); // a restart: all 100 are durable
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).hasSize(100);
  }

  @Test
  void aFailedGroupCommitFailsItsMutationsAndTheNodeGoesBackToWhatIsDurable() throws Exception {
    host.close();
    CountingStore failing = new CountingStore();
    host = new ProcessorHost(HostOptions.defaults(), failing, clock);
    String s = session("fails");
    await(host.observe(s, strings("a"), new CallMeta(0, "req-a")));
    failing.failNext = true;
    assertThatThrownBy(() -> await(host.observe(s, strings("b"), new CallMeta(0, "req-b"))))
        .hasMessageContaining("disk full");
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).containsExactly(List.of("a"));
    // the retry of the failed call is applied (its id was forgotten with the lost result)
    assertThat(await(host.observe(s, strings("b"), new CallMeta(0, "req-b"))).stm())
        .containsExactly(List.of("a"), List.of("b"));
    // a retry of an acknowledged call is still answered from its result, not applied again
    assertThat(await(host.observe(s, strings("a"), new CallMeta(0, "req-b"))).stm()).hasSize(2);
  }

  @Test
  void aFlushThatFailsInsideAHandOverFailsTheRunsEarlierStagedOperationsToo() throws Exception {
    host.close();
    CountingStore store = new CountingStore();
    host = new ProcessorHost(HostOptions.defaults(), store, clock);
    String s = await(host.createSession("handed", Map.of(), Map.of(), 0, "", new CallMeta(1, ""))).sessionId();
    store.gated = true;
    CompletableFuture<ProcessorHost.Observed> first = host.observe(s, strings("a"), new CallMeta(1, ""));
    assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue(); // "a" is on the disk
    // queued meanwhile, so they run in one lane run: "b" is staged, then the release flushes it
    CompletableFuture<ProcessorHost.Observed> staged = host.observe(s, strings("b"), new CallMeta(1, ""));
    CompletableFuture<ProcessorHost.Ownership> release = host.releaseNode("handed", new CallMeta(2, ""));
    store.failCommitIn = 1; // the next commit ("a") succeeds, the one after ("b", inside the release) fails
    store.gate.countDown();
    await(first);
    assertThatThrownBy(() -> await(release)).hasMessageContaining("disk full");
    assertThatThrownBy(() -> await(staged)).as("never stored, so never answered as done")
        .hasMessageContaining("disk full");
    assertThat(await(host.readSession(s, new CallMeta(2, ""))).state().stm()).containsExactly(List.of("a"));
  }

  @Test
  void onASharedStoreANewerEpochReloadsWhatAnotherWorkerWroteAndReleaseFencesTheOldOne() throws Exception {
    host.close();
    CountingStore shared = new CountingStore();
    shared.shared = true;
    ProcessorHost first = new ProcessorHost(HostOptions.defaults(), shared, clock);
    ProcessorHost second = new ProcessorHost(HostOptions.defaults(), shared, clock);
    try {
      String s = await(first.createSession("moving", Map.of(), Map.of(), 0, "", new CallMeta(1, ""))).sessionId();
      await(first.observe(s, strings("a"), new CallMeta(1, "")));
      // the gateway moves the node: first releases under epoch 2, second acquires and writes
      assertThat(await(first.releaseNode("moving", new CallMeta(2, ""))).state()).isEqualTo("released");
      assertThatThrownBy(() -> await(first.observe(s, strings("late"), new CallMeta(1, ""))))
          .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.STALE_EPOCH));
      assertThat(await(second.acquireNode("moving", new CallMeta(2, ""))).epoch()).isEqualTo(2);
      await(second.observe(s, strings("b"), new CallMeta(2, "")));
      assertThat(await(first.observe(s, strings("c"), new CallMeta(3, ""))).stm())
          .containsExactly(List.of("a"), List.of("b"), List.of("c"));
      // a release that never reached its worker: the node moves to second (epoch 4), which writes;
      // when it comes back to first (epoch 5), first must not serve the memory it still holds
      await(second.observe(s, strings("d"), new CallMeta(4, "")));
      assertThat(await(first.observe(s, strings("e"), new CallMeta(5, ""))).stm())
          .containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of("d"), List.of("e"));
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void aFullNodeQueueAnswersOverloadedInsteadOfQueueing() {
    host.close();
    CountingStore slow = new CountingStore();
    host = new ProcessorHost(HostOptions.defaults().withQueueLimits(2, 10), slow, clock);
    String s = session("busy");
    slow.gated = true;
    List<CompletableFuture<ProcessorHost.Observed>> pending = new ArrayList<>();
    pending.add(host.observe(s, strings("e0"), CallMeta.NONE));
    try {
      assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue(); // the first one is on the disk now
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 1; i < 10; i++) {
      pending.add(host.observe(s, strings("e" + i), CallMeta.NONE));
    }
    slow.gate.countDown();
    long overloaded = pending.stream().filter(f -> {
      try {
        f.get(10, TimeUnit.SECONDS);
        return false;
      } catch (Exception e) {
        return codeOf(e) == ErrorCode.OVERLOADED;
      }
    }).count();
    // one observation runs (waiting on the disk), two wait in the queue, the other seven are refused
    assertThat(overloaded).isEqualTo(7);
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).hasSize(3);
  }

  @Test
  void aBusyNodeYieldsItsLaneThreadToOtherNodes() {
    host.close();
    host = new ProcessorHost(HostOptions.defaults().withLaneThreads(1).withQueueLimits(1_000, 10), store, clock);
    String busy = session("busy-node");
    String quiet = session("quiet-node");
    List<CompletableFuture<ProcessorHost.Observed>> flood = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      flood.add(host.observe(busy, strings("e" + i), CallMeta.NONE));
    }
    await(host.observe(quiet, strings("q"), CallMeta.NONE));
    long floodDone = flood.stream().filter(CompletableFuture::isDone).count();
    assertThat(floodDone).as("the quiet node ran before the flood finished").isLessThan(600);
    flood.forEach(ProcessorHostTest::await);
  }

  @Test
  void clientChosenSessionIdsAreIdempotentPerNodeAndExclusiveAcrossNodes() {
    SessionRecord created = await(host.createSession("n1", Map.of(), Map.of(), 0, "my-session", CallMeta.NONE));
    SessionRecord again = await(host.createSession("n1", Map.of(), Map.of(), 0, "my-session", CallMeta.NONE));
    assertThat(again.createdAt()).isEqualTo(created.createdAt());
    assertThatThrownBy(() -> await(host.createSession("n2", Map.of(), Map.of(), 0, "my-session", CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.SESSION_EXISTS));
    assertThatThrownBy(() -> await(host.createSession("n2", Map.of(), Map.of(), 0, "__node__:x", CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.VALIDATION_ERROR));
  }

  @Test
  void invalidInputIsRejectedWithoutAStateChange() {
    String s = session("invalid");
    await(host.observe(s, strings("a"), CallMeta.NONE));
    assertThatThrownBy(() -> await(host.updateConfig(s, Map.of("persistence", 0L), CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.CONFIG_VALIDATION_ERROR));
    assertThatThrownBy(() -> await(host.observe(s, new ParsedObservation(List.of(),
        List.of(new double[] {1, 2}, new double[] {3}), Map.of(), Map.of()), CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.VECTOR_DIMENSION_ERROR));
    assertThatThrownBy(() -> await(host.createSession("x", Map.of("max_predictions", 0L), Map.of(), 0, "",
        CallMeta.NONE))).satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.CONFIG_VALIDATION_ERROR));
    SessionRecord after = await(host.readSession(s, CallMeta.NONE));
    assertThat(after.state().stm()).hasSize(1);
    assertThat(after.state().time()).isEqualTo(1);
    assertThat(after.state().config().overrides()).isEmpty();
  }

  @Test
  void aRejectedSequenceChangesNothing() {
    String s = session("sequence");
    List<ProcessorHost.SequenceItem> items = List.of(
        new ProcessorHost.SequenceItem(strings("a", "b"), ""),
        new ProcessorHost.SequenceItem(new ParsedObservation(List.of(), List.of(new double[] {1, 2}), Map.of(),
            Map.of()), ""),
        new ProcessorHost.SequenceItem(new ParsedObservation(List.of(), List.of(new double[] {1, 2, 3}), Map.of(),
            Map.of()), "custom"));
    assertThatThrownBy(() -> await(host.observeSequence(s, items, true, false, false, CallMeta.NONE)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.VECTOR_DIMENSION_ERROR));
    assertThat(await(host.nodeStatus("sequence", CallMeta.NONE)).patternCount()).isZero();
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().time()).isZero();

    ProcessorHost.Sequenced done = await(host.observeSequence(s, items.subList(0, 2), false, true, false,
        CallMeta.NONE));
    assertThat(done.results()).hasSize(2);
    assertThat(done.finalLearnedPattern()).startsWith("PTRN|");
    assertThat(done.session().state().stm()).isEmpty();
    assertThat(done.session().state().time()).isEqualTo(2);
  }

  @Test
  void implicitNodeSessionsAreCreatedOnceAndNotCounted() {
    String id = await(host.implicitSession("legacy", CallMeta.NONE));
    assertThat(id).isEqualTo("__node__:legacy");
    await(host.observe(id, strings("a"), CallMeta.NONE));
    assertThat(await(host.implicitSession("legacy", CallMeta.NONE))).isEqualTo(id);
    assertThat(await(host.readSession(id, CallMeta.NONE)).state().stm()).hasSize(1);
    assertThat(host.sessionCount()).isZero();
  }

  @Test
  void aNewHostFindsSessionsAndPatternsInTheStore() {
    String s = session("restart");
    await(host.observe(s, strings("a", "b"), CallMeta.NONE));
    String name = await(host.learn(s, CallMeta.NONE)).patternName();
    await(host.observe(s, strings("c"), CallMeta.NONE));
    host.close();
    host = new ProcessorHost(HostOptions.defaults().withNodeDefaults(NodeDefaults.STANDARD), store, clock);
    assertThat(await(host.readSession(s, CallMeta.NONE)).state().stm()).containsExactly(List.of("c"));
    assertThat(await(host.pattern("restart", name, CallMeta.NONE))).isPresent();
  }
}
