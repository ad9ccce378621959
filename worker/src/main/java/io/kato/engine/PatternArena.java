package io.kato.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Every pattern's flattened symbol ids in one array, by learn sequence, for the prediction
 * search's scan (PREDICTIONS.md §9): pattern {@code s} is {@code symbols[starts[s] ..
 * starts[s + 1])}, each entry its symbol id with {@link #EVENT_START} set on the first symbol of
 * each event. Read-only, and valid until the knowledge base's next write.
 */
public final class PatternArena {
  /** Flag on the first symbol of every event. */
  static final int EVENT_START = 0x8000_0000;
  /** The symbol id of an entry: {@code entry & ID}. */
  static final int ID = 0x7FFF_FFFF;

  final int[] symbols;
  final int[] starts;
  final int patternCount;

  PatternArena(int[] symbols, int[] starts, int patternCount) {
    this.symbols = symbols;
    this.starts = starts;
    this.patternCount = patternCount;
  }

  int length(int sequence) {
    return starts[sequence + 1] - starts[sequence];
  }

  /** An arena built from every pattern of the knowledge base (the slow, generic way). */
  static PatternArena of(KnowledgeBase kb) {
    List<StoredPattern> patterns = new ArrayList<>(kb.patternCount());
    kb.forEachPattern(patterns::add);
    int total = 0;
    for (StoredPattern pattern : patterns) {
      total += pattern.length();
    }
    int[] symbols = new int[total];
    int[] starts = new int[patterns.size() + 1];
    int at = 0;
    for (StoredPattern pattern : patterns) { // in learn sequence order: 0, 1, 2, ...
      at = append(symbols, at, pattern.events(), pattern.symbols());
      starts[pattern.sequence() + 1] = at;
    }
    return new PatternArena(symbols, starts, patterns.size());
  }

  /** Writes one pattern's entries at {@code at}; returns the end. */
  static int append(int[] symbols, int at, List<List<String>> events, int[] ids) {
    int i = 0;
    for (List<String> event : events) {
      for (int k = 0; k < event.size(); k++) {
        symbols[at++] = k == 0 ? ids[i] | EVENT_START : ids[i];
        i++;
      }
    }
    return at;
  }
}
