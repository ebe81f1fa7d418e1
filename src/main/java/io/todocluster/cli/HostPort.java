package io.todocluster.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code host:port} the command-line tools connect to (a node's HTTP or its TCP bridge). */
record HostPort(String host, int port) {

  static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new TypeConversionException("expected host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    String port = text.substring(colon + 1);
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new TypeConversionException("expected a port 1..65535 in '" + text + "'");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }

  /** Lets picocli turn a bad value into its usage error (exit 2). */
  static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      return parse(value);
    }
  }
}
