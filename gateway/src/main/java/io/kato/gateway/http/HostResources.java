package io.kato.gateway.http;

import java.io.File;
import java.lang.management.ManagementFactory;

/** Host CPU, memory and disk percentages for {@code /metrics} (never for {@code /health}, API.md §2.5.1). */
final class HostResources {
  private HostResources() {}

  record Sample(double cpuPercent, double memoryPercent, long memoryBytes, double diskPercent, double load1m) {}

  static Sample sample() {
    double cpu = 0.0;
    double memory = 0.0;
    long used = 0;
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      var sun = (com.sun.management.OperatingSystemMXBean) os;
      double load = sun.getCpuLoad();
      cpu = load < 0 ? 0.0 : Math.min(100.0, load * 100.0);
      long total = sun.getTotalMemorySize();
      long free = sun.getFreeMemorySize();
      used = total - free;
      memory = total <= 0 ? 0.0 : 100.0 * used / total;
    }
    File root = new File("/");
    double disk = root.getTotalSpace() <= 0 ? 0.0
        : 100.0 * (root.getTotalSpace() - root.getUsableSpace()) / root.getTotalSpace();
    double load1m = Math.max(0.0, os.getSystemLoadAverage());
    return new Sample(round1(cpu), round1(memory), used, round1(disk), load1m);
  }

  private static double round1(double v) {
    return Math.round(v * 10.0) / 10.0;
  }
}
