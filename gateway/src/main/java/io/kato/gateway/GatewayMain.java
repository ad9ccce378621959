package io.kato.gateway;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the gateway JVM. The HTTP API, registry and routing arrive with their issue. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    version = "kato-gateway 0.1.0",
    description = "KATO gateway (REST/WebSocket front door). Not serving yet in this release.")
public final class GatewayMain implements java.util.concurrent.Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("kato gateway: the HTTP gateway is not part of this build yet");
    return 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }
}
