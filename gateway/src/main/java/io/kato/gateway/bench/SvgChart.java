package io.kato.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** An SVG line chart of p50 and p99 latency per operation against knowledge-base size (log x). */
final class SvgChart {
  private SvgChart() {}

  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

  static String latencyBySize(JsonNode report) {
    int width = 720;
    int height = 420;
    int left = 70;
    int right = 160;
    int top = 40;
    int bottom = 60;
    List<Double> sizes = new ArrayList<>();
    double maxMs = 0.001;
    for (JsonNode run : report.path("runs")) {
      sizes.add(run.path("patterns_per_node").asDouble());
      for (JsonNode op : run.path("operations")) {
        maxMs = Math.max(maxMs, op.path("p99_ms").asDouble());
      }
    }
    double minX = Math.log10(Math.max(1, sizes.stream().mapToDouble(d -> d).min().orElse(1)));
    double maxX = Math.log10(Math.max(10, sizes.stream().mapToDouble(d -> d).max().orElse(10)));
    if (maxX - minX < 1e-9) {
      maxX = minX + 1;
    }
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">KATO latency by knowledge-base "
        + "size (%s clients, %s)</text>%n", left, report.path("clients").asText(), report.path("mix").asText()));
    int plotW = width - left - right;
    int plotH = height - top - bottom;
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
        + "stroke=\"#999\"/>%n", left, top, plotW, plotH));
    for (int i = 0; i <= 4; i++) {
      double ms = maxMs * i / 4;
      double y = top + plotH - plotH * i / 4.0;
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f ms</text>%n",
          left - 6, y + 4, ms));
    }
    for (double size : sizes) {
      double x = left + plotW * (Math.log10(Math.max(1, size)) - minX) / (maxX - minX);
      svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", x,
          top + plotH + 18, size));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">patterns per node "
        + "(log scale)</text>%n", left + plotW / 2, height - 15));
    List<String> series = new ArrayList<>();
    JsonNode first = report.path("runs").path(0).path("operations");
    first.fieldNames().forEachRemaining(series::add);
    int line = 0;
    for (String op : series) {
      for (String stat : new String[] {"p50_ms", "p99_ms"}) {
        String color = COLORS[line / 2 % COLORS.length];
        StringBuilder points = new StringBuilder();
        for (JsonNode run : report.path("runs")) {
          double x = left + plotW * (Math.log10(Math.max(1, run.path("patterns_per_node").asDouble())) - minX)
              / (maxX - minX);
          double y = top + plotH - plotH * run.path("operations").path(op).path(stat).asDouble() / maxMs;
          points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
            + "points=\"%s\"/>%n", color, stat.equals("p99_ms") ? " stroke-dasharray=\"5,4\"" : "", points));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s %s</text>%n",
            left + plotW + 10, top + 16 + line * 18, color, op, stat.replace("_ms", "")));
        line++;
      }
    }
    return svg.append("</svg>\n").toString();
  }
}
