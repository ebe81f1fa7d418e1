package io.todocluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.todocluster.node.Node;
import io.todocluster.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds {@code openapi.yaml} to the routes a running node really serves: every documented
 * operation is called with the document's own examples, and every route of the router must be
 * documented.
 */
@DisplayName("The OpenAPI document of the HTTP API")
class OpenApiDocumentTest {

  /** Creates before it reads, updates and deletes, so that the examples' entry id 1 exists. */
  private static final List<PathItem.HttpMethod> ORDER = List.of(PathItem.HttpMethod.POST,
      PathItem.HttpMethod.GET, PathItem.HttpMethod.PUT, PathItem.HttpMethod.DELETE);
  private static final String PENDING = "x-pending";
  private static final String TEST_STATUS = "x-test-status";
  private static final String MOUNTS = "x-mounts";

  @TempDir
  static Path dataDir;
  static Node node;
  static Vertx clientVertx;
  static WebClient client;
  static OpenAPI document;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNodes.start(TestNodes.config("openapi-test", dataDir));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
    // the document the node serves, not the file in the source tree
    HttpResponse<Buffer> served = await(client.get(HttpApi.OPENAPI_PATH).send());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.getHeader("Content-Type")).isEqualTo("application/yaml");
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.bodyAsString(), null, options);
    assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
    document = parsed.getOpenAPI();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (client != null) {
      client.close();
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    TestNodes.stop(node);
  }

  @Test
  @DisplayName("the node serves its OpenAPI 3 document, and it describes the contract's routes")
  void servedDocumentIsOpenApi3() {
    assertThat(document.getOpenapi()).startsWith("3.");
    assertThat(document.getPaths().keySet()).contains("/api/lists/{list}/entries", "/api/lists/{list}/entries/{id}",
        "/add_entry", "/entries", HttpApi.HEALTH_PATH, HttpApi.READY_PATH, "/api/cluster", "/metrics", "/");
  }

  @Test
  @DisplayName("every documented operation exists and answers a documented success for its examples")
  void everyDocumentedOperationAnswers() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Call call : documentedCalls()) {
      HttpResponse<Buffer> response = await(call.send(client));
      String what = call.key() + " -> " + response.statusCode() + " " + response.bodyAsString();
      if (call.extension(PENDING) != null && isNoSuchRoute(response)) {
        continue; // in the contract, not yet served by this build (see the document's description)
      }
      assertThat(isNoSuchRoute(response)).as(what + ": the route exists").isFalse();
      assertThat(response.statusCode()).as(what).isNotEqualTo(405);
      Map<String, ApiResponse> documented = call.operation.getResponses();
      assertThat(documented.keySet()).as(what).contains(Integer.toString(response.statusCode()));
      Object expected = call.extension(TEST_STATUS);
      if (expected == null) {
        assertThat(response.statusCode()).as(what).isBetween(200, 299);
      } else {
        assertThat(response.statusCode()).as(what).isEqualTo(Integer.parseInt(expected.toString()));
      }
      checkBody(what, resolve(documented.get(Integer.toString(response.statusCode()))), response);
      checked.add(call.key());
    }
    assertThat(checked).as("operations called").contains("POST /api/lists/{list}/entries",
        "DELETE /api/lists/{list}/entries/{id}", "GET " + HttpApi.OPENAPI_PATH);
  }

  @Test
  @DisplayName("every route of the router is documented, with its methods")
  void everyRouteIsDocumented() {
    Set<String> documented = new TreeSet<>();
    documentedCalls().forEach(call -> documented.add(call.key()));

    Set<String> served = servedOperations();

    assertThat(served).as("the router's routes").contains("GET " + HttpApi.HEALTH_PATH);
    assertThat(documented).containsAll(served);
    assertThat(mounts()).as("documented under " + MOUNTS).containsAll(servedMounts());
  }

  /** The router's own 404 for a path it has no route for, not a handler's 404 for an absent thing. */
  private static boolean isNoSuchRoute(HttpResponse<Buffer> response) {
    return response.statusCode() == 404 && response.bodyAsString().contains("no such route");
  }

  // ---- the router's side

  /**
   * {@code "GET /api/lists/{list}/entries"} for every route with a path of its own. Not counted:
   * handlers for every request (the body handler, no path), regex routes (a page's static files,
   * documented by the page's path) and mounts under a prefix (see {@link #servedMounts}).
   */
  private static Set<String> servedOperations() {
    Set<String> operations = new TreeSet<>();
    for (Route route : node.httpApi().routes()) {
      if (route.getPath() == null || route.isRegexPath() || !route.isExactPath()) {
        continue;
      }
      String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      Set<HttpMethod> methods = route.methods();
      assertThat(methods).as("route %s declares its methods", path).isNotEmpty();
      methods.forEach(method -> operations.add(method.name() + " " + path));
    }
    return operations;
  }

  /** The prefixes where the router mounts a protocol ({@code route("/eventbus/*")}). */
  private static Set<String> servedMounts() {
    Set<String> mounts = new TreeSet<>();
    for (Route route : node.httpApi().routes()) {
      if (route.getPath() != null && !route.isRegexPath() && !route.isExactPath()) {
        mounts.add(route.getPath());
      }
    }
    return mounts;
  }

  private static Set<String> mounts() {
    Object declared = document.getExtensions() == null ? null : document.getExtensions().get(MOUNTS);
    Set<String> mounts = new TreeSet<>();
    if (declared instanceof List<?> list) {
      list.forEach(mount -> mounts.add(mount.toString()));
    }
    return mounts;
  }

  // ---- the document's side

  private static List<Call> documentedCalls() {
    List<Call> calls = new ArrayList<>();
    document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
      List<Parameter> parameters = new ArrayList<>();
      if (item.getParameters() != null) {
        parameters.addAll(item.getParameters());
      }
      if (operation.getParameters() != null) {
        parameters.addAll(operation.getParameters());
      }
      calls.add(new Call(method, path, operation, parameters));
    }));
    calls.sort(Comparator.comparing((Call call) -> ORDER.indexOf(call.method)).thenComparing(Call::key));
    return calls;
  }

  /** One documented operation, called with the document's examples. */
  private record Call(PathItem.HttpMethod method, String path, Operation operation, List<Parameter> parameters) {

    String key() {
      return method.name() + " " + path;
    }

    Object extension(String name) {
      return operation.getExtensions() == null ? null : operation.getExtensions().get(name);
    }

    Future<HttpResponse<Buffer>> send(WebClient client) {
      String uri = path;
      List<String> query = new ArrayList<>();
      for (Parameter parameter : parameters) {
        Object example = parameter.getExample();
        if (Boolean.TRUE.equals(parameter.getRequired())) {
          assertThat(example).as("%s: required parameter %s has an example", key(), parameter.getName()).isNotNull();
        }
        if (example == null) {
          continue;
        }
        switch (parameter.getIn()) {
          case "path" -> uri = uri.replace("{" + parameter.getName() + "}", encode(example));
          case "query" -> query.add(parameter.getName() + "=" + encode(example));
          default -> { } // headers are set below
        }
      }
      if (!query.isEmpty()) {
        uri += "?" + String.join("&", query);
      }
      HttpRequest<Buffer> request = client.request(HttpMethod.valueOf(method.name()), uri);
      parameters.stream().filter(p -> p.getIn().equals("header") && p.getExample() != null)
          .forEach(p -> request.putHeader(p.getName(), String.valueOf(p.getExample())));
      if (operation.getRequestBody() == null) {
        return request.send();
      }
      MediaType json = operation.getRequestBody().getContent().get("application/json");
      assertThat(json).as("%s takes JSON", key()).isNotNull();
      assertThat(json.getExample()).as("%s has a body example", key()).isNotNull();
      return request.putHeader("Content-Type", "application/json")
          .sendBuffer(Buffer.buffer(Json.encode(json.getExample())));
    }

    private static String encode(Object value) {
      return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8).replace("+", "%20");
    }
  }

  /** The response's media type is documented, and a JSON body has the schema's required fields. */
  private static void checkBody(String what, ApiResponse documented, HttpResponse<Buffer> response) {
    if (documented.getContent() == null || documented.getContent().isEmpty()) {
      assertThat(response.body() == null || response.body().length() == 0).as(what + ": no body").isTrue();
      return;
    }
    String contentType = response.getHeader("Content-Type");
    assertThat(contentType).as(what).isNotNull();
    String mediaType = contentType.split(";")[0].trim();
    assertThat(documented.getContent()).as(what).containsKey(mediaType);
    if (mediaType.equals("application/json")) {
      requireFields(what, documented.getContent().get(mediaType).getSchema(), Json.decodeValue(response.body()));
    }
  }

  @SuppressWarnings("rawtypes")
  private static void requireFields(String what, Schema schema, Object value) {
    Schema resolved = resolve(schema);
    if (value instanceof JsonArray array && resolved.getItems() != null) {
      array.forEach(item -> requireFields(what, resolved.getItems(), item));
    } else if (value instanceof JsonObject object && resolved.getRequired() != null) {
      assertThat(object.fieldNames()).as(what).containsAll(resolved.getRequired());
    }
  }

  /** A response given by reference ({@code $ref: '#/components/responses/Forbidden'}) is looked up. */
  private static ApiResponse resolve(ApiResponse response) {
    if (response.get$ref() == null) {
      return response;
    }
    String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
    return document.getComponents().getResponses().get(name);
  }

  @SuppressWarnings("rawtypes")
  private static Schema resolve(Schema schema) {
    if (schema.get$ref() == null) {
      return schema;
    }
    String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
    return document.getComponents().getSchemas().get(name);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
