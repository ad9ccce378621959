package io.kato.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The time series behind {@code /stats} and {@code /metrics/{name}} (API.md §2.5.4-2.5.5):
 * the twenty upstream series names, each a bounded list of (timestamp, value, labels) points.
 */
public final class MetricSeries {
  public static final List<String> NAMES = List.of("kato_cpu_usage_percent", "kato_memory_usage_percent",
      "kato_memory_usage_bytes", "kato_disk_usage_percent", "load_average_1m", "kato_requests_total",
      "kato_request_duration_seconds", "kato_errors_total", "sessions_created", "sessions_deleted",
      "session_operations", "clickhouse_operations", "clickhouse_response_time", "clickhouse_errors",
      "qdrant_operations", "qdrant_response_time", "qdrant_errors", "redis_operations", "redis_response_time",
      "redis_errors");
  private static final int MAX_POINTS = 2000;

  private record Point(double timestamp, double value, Map<String, String> labels) {}

  private final Map<String, Deque<Point>> series = new LinkedHashMap<>();

  public MetricSeries() {
    NAMES.forEach(n -> series.put(n, new ArrayDeque<>()));
  }

  public void record(String name, double value, Map<String, String> labels) {
    Deque<Point> points = series.get(name);
    if (points == null) {
      return;
    }
    synchronized (points) {
      points.addLast(new Point(System.currentTimeMillis() / 1000.0, value, labels));
      while (points.size() > MAX_POINTS) {
        points.removeFirst();
      }
    }
  }

  /** The points of the last {@code seconds}, as JSON; empty for unknown names. */
  public ArrayNode points(String name, double seconds) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    Deque<Point> points = series.get(name);
    if (points == null) {
      return out;
    }
    double since = System.currentTimeMillis() / 1000.0 - seconds;
    synchronized (points) {
      for (Point p : points) {
        if (p.timestamp >= since) {
          ObjectNode o = out.addObject();
          o.put("timestamp", p.timestamp);
          o.put("value", p.value);
          ObjectNode labels = o.putObject("labels");
          p.labels.forEach(labels::put);
        }
      }
    }
    return out;
  }
}
