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
 * Single-thread engine cost of learn, observe and predictions on a node holding
 * {@code patterns} sentences of the natural-text workload ({@link NaturalTextWorkload}: one word
 * per event, queries are 2–3 word prefixes), default genes. The node is loaded once per trial
 * (with a progress line on stderr), so the learn benchmark adds a few thousand patterns to it.
 *
 * <p>Run: {@code ./kato bench-engine NaturalTextBenchmark -f 1 -wi 2 -i 3 -p patterns=1000,10000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class NaturalTextBenchmark {

  @Param({"1000", "10000", "100000", "1000000"})
  public int patterns;

  private Processor node;
  private List<SessionState> querySessions;
  private List<List<String>> fresh;
  private List<Observation> observations;
  private int nextQuery;
  private int nextFresh;
  private int nextObservation;
  private SessionState observer;
  private SessionState silentLearner;

  @Setup(Level.Trial)
  public void setUp() {
    NaturalTextWorkload workload = NaturalTextWorkload.standard(42);
    List<List<String>> all = workload.sentences(patterns + 20_000);
    List<List<String>> learned = all.subList(0, patterns);
    fresh = new ArrayList<>(all.subList(patterns, all.size()));
    // no memo: every call searches (the queries repeat; remembered results would measure the memo)
    node = new Processor(NodeDefaults.STANDARD, new InMemoryKnowledgeBase(), 0);
    SessionState loader = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    long started = System.nanoTime();
    for (int i = 0; i < patterns; i++) {
      loader = learn(loader, learned.get(i));
      if ((i + 1) % Math.max(1, patterns / 10) == 0) {
        System.err.printf("natural text: %,d / %,d patterns learned (%.1f s)%n", i + 1, patterns,
            (System.nanoTime() - started) / 1e9);
      }
    }
    querySessions = new ArrayList<>();
    SessionState querying = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
    for (int i = 0; i < 256; i++) {
      SessionState q = querying;
      for (List<String> event : workload.query(learned.get((int) ((i * 7919L) % patterns)))) {
        q = node.observe(q, observation(event)).state();
      }
      querySessions.add(q);
    }
    observations = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      observations.add(observation(List.of(learned.get((int) ((i * 104729L) % patterns)).get(0))));
    }
    observer = SessionState.empty();
    silentLearner = node.updateGenes(SessionState.empty(), Map.of("process_predictions", false));
  }

  private SessionState learn(SessionState session, List<String> sentence) {
    for (List<String> event : NaturalTextWorkload.pattern(sentence)) {
      session = node.observe(session, observation(event)).state();
    }
    return node.learn(session).state();
  }

  private static Observation observation(List<String> event) {
    return new Observation(event, List.of(), Map.of(), Map.of(), "obs-bench");
  }

  /** Observe the words of a new sentence (no prediction pass) and learn it. */
  @Benchmark
  public String learn() {
    SessionState s = silentLearner;
    for (List<String> event : NaturalTextWorkload.pattern(fresh.get(nextFresh++ % fresh.size()))) {
      s = node.observe(s, observation(event)).state();
    }
    return node.learn(s).patternName();
  }

  /** One word with the default prediction pass (STM kept at ≤ 3 events). */
  @Benchmark
  public SessionState observe() {
    if (observer.stm().size() >= 3) {
      observer = node.clearStm(observer);
    }
    observer = node.observe(observer, observations.get(nextObservation++ & 1023)).state();
    return observer;
  }

  /** GET predictions for a 2–3 word prefix of a learned sentence. */
  @Benchmark
  public PredictionResult predictions() {
    return node.predictions(querySessions.get(nextQuery++ & 255));
  }
}
