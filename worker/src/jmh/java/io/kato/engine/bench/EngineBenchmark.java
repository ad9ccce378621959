package io.kato.engine.bench;

import io.kato.engine.InMemoryKnowledgeBase;
import io.kato.engine.NodeDefaults;
import io.kato.engine.Observation;
import io.kato.engine.PredictionResult;
import io.kato.engine.Processor;
import io.kato.engine.SessionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-thread engine cost of learn, observe and predictions on a node holding {@code patterns}
 * synthetic patterns (default genes). Sample mode, so the report includes p50/p99.
 *
 * <p>Run: {@code ./kato bench-engine EngineBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class EngineBenchmark {

  @Param({"1000", "10000", "100000", "1000000"})
  public int patterns;

  private Processor node;
  private List<List<List<String>>> learned;
  private List<SessionState> querySessions;
  private List<List<List<String>>> freshPatterns;
  private int nextQuery;
  private int nextFresh;
  private SessionState observer;
  private SessionState silentObserver;
  private List<Observation> observations;
  private int nextObservation;

  @Setup(Level.Trial)
  public void setUp() {
    SyntheticWorkload workload = new SyntheticWorkload(42);
    // no memo: every call searches (the queries repeat; remembered results would measure the memo)
    node = new Processor(NodeDefaults.STANDARD, new InMemoryKnowledgeBase(), 0);
    learned = new ArrayList<>(patterns);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    for (int i = 0; i < patterns; i++) {
      List<List<String>> pattern = workload.pattern();
      learned.add(pattern);
      loader = learn(loader, pattern);
    }
    querySessions = new ArrayList<>();
    SessionState querying = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    for (int i = 0; i < 256; i++) {
      SessionState q = querying;
      for (List<String> event : workload.query(learned.get(i * 7919 % patterns))) {
        q = node.observe(q, observation(event)).state();
      }
      querySessions.add(q);
    }
    freshPatterns = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      freshPatterns.add(workload.pattern());
    }
    observations = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      List<List<String>> q = workload.query(learned.get(i * 104729 % patterns));
      observations.add(observation(q.get(0)));
    }
    observer = SessionState.empty();
    silentObserver = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    nextQuery = 0;
    nextFresh = 0;
    nextObservation = 0;
  }

  private SessionState learn(SessionState session, List<List<String>> pattern) {
    for (List<String> event : pattern) {
      session = node.observe(session, observation(event)).state();
    }
    return node.learn(session).state();
  }

  private static Observation observation(List<String> event) {
    return new Observation(event, List.of(), Map.of(), Map.of(), "obs-bench");
  }

  /** Observe the events of a new pattern (no prediction pass) and learn it. */
  @Benchmark
  public String learn() {
    SessionState s = silentObserver;
    for (List<String> event : freshPatterns.get(nextFresh++ % freshPatterns.size())) {
      s = node.observe(s, observation(event)).state();
    }
    return node.learn(s).patternName();
  }

  /** One observation with the default prediction pass (STM kept at ≤ 4 events). */
  @Benchmark
  public SessionState observe() {
    if (observer.stm().size() >= 4) {
      observer = node.clearStm(observer);
    }
    observer = node.observe(observer, observations.get(nextObservation++ & 1023)).state();
    return observer;
  }

  /** One observation without the prediction pass: the bookkeeping cost alone. */
  @Benchmark
  public SessionState observeWithoutPredictions() {
    if (silentObserver.stm().size() >= 4) {
      silentObserver = node.clearStm(silentObserver);
    }
    silentObserver = node.observe(silentObserver, observations.get(nextObservation++ & 1023)).state();
    return silentObserver;
  }

  /** GET predictions for a 2–4 event noisy query. */
  @Benchmark
  public PredictionResult predictions() {
    return node.predictions(querySessions.get(nextQuery++ & 255));
  }
}
