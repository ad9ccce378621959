package io.kato.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The addresses a worker registers with its gateway. */
class WorkerCommandTest {

  @Test
  void theAdvertisedHostIsTheBindAddressUnlessItIsAWildcard() {
    assertThat(WorkerCommand.advertisedHost(null, "10.0.0.7")).isEqualTo("10.0.0.7");
    assertThat(WorkerCommand.advertisedHost(null, "0.0.0.0")).isEqualTo("127.0.0.1");
    assertThat(WorkerCommand.advertisedHost(null, "::")).isEqualTo("127.0.0.1");
    assertThat(WorkerCommand.advertisedHost("worker-3.internal", "0.0.0.0")).isEqualTo("worker-3.internal");
    assertThat(WorkerCommand.advertisedHost("", "10.0.0.7")).isEqualTo("10.0.0.7");
  }

  @Test
  void ipv6HostsAreBracketed() {
    assertThat(WorkerCommand.hostPort("127.0.0.1", 50051)).isEqualTo("127.0.0.1:50051");
    assertThat(WorkerCommand.hostPort("fd00::7", 50051)).isEqualTo("[fd00::7]:50051");
    assertThat(WorkerCommand.hostPort("[fd00::7]", 50051)).isEqualTo("[fd00::7]:50051");
  }
}
