package io.todocluster.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of {@link HttpApi}, {@code openapi.yaml} in the jar. It is read once,
 * when the API starts, on a worker thread (a class path read is file I/O), and served from memory.
 */
final class OpenApiDocument {

  static final String RESOURCE = "openapi.yaml";
  /** The YAML media type (RFC 9512). */
  static final String CONTENT_TYPE = "application/yaml";

  private OpenApiDocument() {
  }

  static Future<Buffer> read(Vertx vertx) {
    return vertx.executeBlocking(OpenApiDocument::readResource);
  }

  private static Buffer readResource() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
