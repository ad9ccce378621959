package io.kato.gateway.http;

/** This build's version, from the jar manifest when packaged. */
final class GatewayVersion {
  private GatewayVersion() {}

  static final String VERSION = versionOf();

  private static String versionOf() {
    String v = GatewayVersion.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
