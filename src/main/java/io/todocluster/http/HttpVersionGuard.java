package io.todocluster.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * Gives a request line with a version other than HTTP/1.0 or HTTP/1.1 a client error instead of
 * Vert.x's 501.
 *
 * <p>Netty's decoder accepts any {@code NAME/major.minor} (it upper-cases the name, so a mangled
 * {@code hTTP/1.1} passes, as a version equal to HTTP/1.1 that is not Netty's constant), and
 * Vert.x 5.0.7 then answers 501 itself, before any handler of ours, to every version that is not
 * exactly one of its two constants. 501 says the server failed; the
 * request is what is wrong. So, between Netty's decoder and Vert.x:
 * <ul>
 *   <li>{@code HTTP/1.2} and higher minors are served as HTTP/1.1, as RFC 9110 section 2.5 asks of a
 *       recipient that implements the major version;</li>
 *   <li>anything else (a name that is not exactly {@code HTTP}, which RFC 9112 makes case-sensitive;
 *       HTTP/0.x; HTTP/2 and HTTP/3, which have no text request line) is marked as a decoding
 *       failure, which Vert.x hands to {@link #answerInvalid}: 400 and a close.</li>
 * </ul>
 * This reaches into Vert.x's pipeline (its handler name {@code httpDecoder} and the internal
 * {@link HttpServerConnection}), because Vert.x has no public hook between decoding and its version
 * check. If a later Vert.x renames the handler, the guard is skipped and the fuzz test, which counts
 * every 5xx, says so.
 */
@ChannelHandler.Sharable
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {

  /** Vert.x's name for Netty's request decoder in an HTTP/1.x server pipeline. */
  static final String DECODER = "httpDecoder";
  static final String NAME = "todoHttpVersionGuard";

  private static final HttpVersionGuard INSTANCE = new HttpVersionGuard();

  private HttpVersionGuard() {
  }

  /** For {@code HttpServer.connectionHandler}: puts the guard right after the decoder. */
  static void install(HttpConnection connection) {
    if (!(connection instanceof HttpServerConnection server)) {
      return;
    }
    ChannelPipeline pipeline = server.channelHandlerContext().pipeline();
    if (pipeline.get(DECODER) != null && pipeline.get(NAME) == null) {
      pipeline.addAfter(DECODER, NAME, INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
        check(request, version);
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static void check(HttpRequest request, HttpVersion version) {
    if (version.protocolName().equals("HTTP") && version.majorVersion() == 1 && version.minorVersion() > 1) {
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    } else {
      // the answer's status line takes the request's version: it must not read "HTTP/2.0 400"
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
      request.setDecoderResult(DecoderResult.failure(new UnsupportedVersion(version.text())));
    }
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: Vert.x's own statuses for its decoder's limits
   * (414, 431), 400 for the rest, each with the service's error body, and the connection closed,
   * since after a bad request line or header the bytes that follow cannot be trusted to frame.
   */
  static Handler<HttpServerRequest> answerInvalid() {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        Errors.send(request, 414, "the request line is longer than " + EdgeLimits.MAX_INITIAL_LINE_LENGTH + " bytes");
      } else if (cause instanceof TooLongHttpHeaderException) {
        Errors.send(request, 431, "the headers are longer than " + EdgeLimits.MAX_HEADER_SIZE + " bytes");
      } else if (cause instanceof UnsupportedVersion) {
        Errors.send(request, 400, "only HTTP/1.0 and HTTP/1.1 are served here");
      } else {
        Errors.send(request, 400, "the request is not valid HTTP");
      }
      request.connection().close();
    };
  }

  /** The decoding failure the guard records; its message is never sent to the client. */
  private static final class UnsupportedVersion extends IllegalArgumentException {
    UnsupportedVersion(String version) {
      super("unsupported HTTP version " + version);
    }
  }
}
