package io.todocluster.deploy;

import static io.todocluster.deploy.Yamls.at;
import static io.todocluster.deploy.Yamls.mapAt;
import static io.todocluster.deploy.Yamls.mapsAt;
import static io.todocluster.deploy.Yamls.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.todocluster.cli.ConfigLoader;
import io.todocluster.cluster.ClusterSettings;
import io.todocluster.http.HttpApi;
import io.todocluster.node.ConfigKeys;
import io.todocluster.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds deploy/k8s to the code: the ports, probes, env names and configuration the manifests give
 * a node must be the ones the node really uses, read from the code's constants and from the
 * node's own config loader.
 */
@DisplayName("The Kubernetes manifests")
class KubernetesManifestsTest {

  private static final String APP = "todo-cluster";
  private static final String HEADLESS = "todo-cluster-headless";
  /** What the downward API and the Secret would give one pod; nothing here is contacted. */
  private static final String POD_IP = "10.244.1.7";
  private static final String NAMESPACE = "todo";
  private static final Map<String, String> FIELDS = Map.of("status.podIP", POD_IP, "metadata.namespace", NAMESPACE);

  static Manifests manifests;
  static Map<String, Object> statefulSet;
  static Map<String, Object> container;

  @TempDir
  Path tmp;

  @BeforeAll
  static void render() {
    manifests = Manifests.render();
    statefulSet = manifests.get("StatefulSet", APP);
    container = named(mapsAt(statefulSet, "spec", "template", "spec", "containers"), "node");
  }

  @Test
  @DisplayName("kustomize renders every object the kustomization lists, and kubectl agrees with the file reading")
  void rendersTheListedObjects() {
    assertThat(Manifests.fromFiles().all()).extracting(o -> o.get("kind") + "/" + at(o, "metadata", "name"))
        .containsExactlyInAnyOrder("ConfigMap/todo-cluster-config", "Service/" + HEADLESS, "Service/" + APP,
            "StatefulSet/" + APP, "PodDisruptionBudget/" + APP);
    assumeTrue(Manifests.kubectl().isPresent(), "kubectl is not on the PATH");
    assertThat(Manifests.kustomize(Manifests.kubectl().get()).all())
        .containsExactlyInAnyOrderElementsOf(Manifests.fromFiles().all());
  }

  @Test
  @DisplayName("the StatefulSet runs three nodes behind the headless service, each with a data volume")
  void statefulSetShape() {
    assertThat(at(statefulSet, "spec", "replicas")).isEqualTo(3);
    assertThat(at(statefulSet, "spec", "serviceName")).isEqualTo(HEADLESS);
    Map<String, Object> podLabels = mapAt(statefulSet, "spec", "template", "metadata", "labels");
    assertThat(podLabels).containsAllEntriesOf(mapAt(statefulSet, "spec", "selector", "matchLabels"));
    Map<String, Object> claim = named(mapsAt(statefulSet, "spec", "volumeClaimTemplates").stream()
        .map(t -> Yamls.map(t.get("metadata"))).toList(), "data");
    assertThat(claim).isNotNull();
    assertThat(named(mapsAt(container, "volumeMounts"), "data")).isNotNull();
  }

  @Test
  @DisplayName("the node loads the ConfigMap's file with the pod's env into DNS discovery on the pod IP, ports at the code's defaults")
  void configurationAsTheNodeLoadsIt() throws IOException {
    NodeConfig config = loadAsThePodWould();
    NodeConfig defaults = new ConfigLoader(Map.of()).load(Map.of());

    assertThat(config.discovery()).isEqualTo(ClusterSettings.Discovery.DNS);
    assertThat(config.dnsQuery()).isEqualTo(HEADLESS + "." + NAMESPACE + ".svc.cluster.local");
    assertThat(config.clusterHost()).isEqualTo(POD_IP);
    assertThat(config.secret()).isNotBlank();
    assertThat(config.role()).isEqualTo(NodeConfig.Role.SERVER);
    assertThat(NodePorts.of(config)).as("ports").isEqualTo(NodePorts.of(defaults));
    assertThat(config.httpPort()).isEqualTo(ConfigLoader.DEFAULT_HTTP_PORT);
    assertThat(config.clusterPort()).isEqualTo(ConfigLoader.DEFAULT_CLUSTER_PORT);
    assertThat(Path.of(named(mapsAt(container, "volumeMounts"), "data").get("mountPath").toString()))
        .as("the data volume is the node's data dir").isEqualTo(config.dataDir());
  }

  @Test
  @DisplayName("the container declares the node's ports, by name, as the code computes them")
  void containerPorts() throws IOException {
    Map<String, Integer> declared = new TreeMap<>();
    mapsAt(container, "ports").forEach(p -> declared.put(p.get("name").toString(), (Integer) p.get("containerPort")));

    assertThat(declared).isEqualTo(NodePorts.of(loadAsThePodWould()));
  }

  @Test
  @DisplayName("liveness probes GET /health and readiness GET /ready, on the HTTP port")
  void probes() throws IOException {
    int httpPort = loadAsThePodWould().httpPort();

    assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo(HttpApi.HEALTH_PATH);
    assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo(HttpApi.READY_PATH);
    assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo(HttpApi.HEALTH_PATH);
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(containerPort(at(container, probe, "httpGet", "port"))).as(probe).isEqualTo(httpPort);
    }
  }

  @Test
  @DisplayName("the headless service publishes not-ready pods on the JGroups port, and both services select the pods")
  void services() throws IOException {
    Map<String, Object> headless = manifests.get("Service", HEADLESS);
    Map<String, Object> podLabels = mapAt(statefulSet, "spec", "template", "metadata", "labels");
    NodeConfig config = loadAsThePodWould();

    assertThat(at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    Map<String, Object> jgroups = named(mapsAt(headless, "spec", "ports"), NodePorts.JGROUPS);
    assertThat(jgroups.get("port")).isEqualTo(config.clusterPort());
    assertThat(containerPort(jgroups.get("targetPort"))).isEqualTo(config.clusterPort());

    Map<String, Object> service = manifests.get("Service", APP);
    assertThat(containerPort(named(mapsAt(service, "spec", "ports"), NodePorts.HTTP).get("targetPort")))
        .isEqualTo(config.httpPort());
    assertThat(containerPort(named(mapsAt(service, "spec", "ports"), NodePorts.BRIDGE).get("targetPort")))
        .isEqualTo(config.bridgePort());
    for (Map<String, Object> each : manifests.ofKind("Service")) {
      assertThat(podLabels).as("pods selected by %s", at(each, "metadata", "name"))
          .containsAllEntriesOf(mapAt(each, "spec", "selector"));
    }
  }

  @Test
  @DisplayName("every TODO_ variable is a node option's env name; the pod IP and the secret come from the downward API and a Secret")
  void environment() {
    List<Map<String, Object>> env = mapsAt(container, "env");
    List<String> optionEnvNames = new java.util.ArrayList<>(ConfigKeys.NODE_KEYS.stream().map(ConfigKeys::envName).toList());
    optionEnvNames.add(ConfigKeys.envName(ConfigKeys.CONFIG));

    env.stream().map(e -> e.get("name").toString()).filter(n -> n.startsWith("TODO_"))
        .forEach(name -> assertThat(optionEnvNames).as("env %s", name).contains(name));
    assertThat(at(named(env, ConfigKeys.envName(ConfigKeys.CLUSTER_HOST)), "valueFrom", "fieldRef", "fieldPath"))
        .isEqualTo("status.podIP");
    Map<String, Object> secretRef = mapAt(named(env, ConfigKeys.envName(ConfigKeys.SECRET)), "valueFrom", "secretKeyRef");
    assertThat(secretRef).containsEntry("name", "todo-cluster-secret").containsEntry("key", "secret");
    assertThat(at(named(env, ConfigKeys.envName(ConfigKeys.DNS_QUERY)), "value").toString()).startsWith(HEADLESS + ".");
  }

  @Test
  @DisplayName("the pod disruption budget lets one node go at a time, and selects the pods")
  void disruptionBudget() {
    Map<String, Object> budget = manifests.get("PodDisruptionBudget", APP);

    assertThat(at(budget, "spec", "maxUnavailable")).isEqualTo(1);
    assertThat(mapAt(statefulSet, "spec", "template", "metadata", "labels"))
        .containsAllEntriesOf(mapAt(budget, "spec", "selector", "matchLabels"));
  }

  @Test
  @DisplayName("the pod runs as the image's own non-root user")
  void runsAsTheImageUser() throws IOException {
    Map<String, Object> security = mapAt(statefulSet, "spec", "template", "spec", "securityContext");
    Dockerfile image = Dockerfile.read();

    assertThat(security).containsEntry("runAsNonRoot", true);
    assertThat(security.get("runAsUser").toString()).isEqualTo(image.uid());
    assertThat(security.get("fsGroup").toString()).isEqualTo(image.gid());
    assertThat(named(mapsAt(container, "volumeMounts"), "data").get("mountPath")).isEqualTo(image.volume());
  }

  // ---- the pod, as Kubernetes would start it

  /**
   * The configuration the node of one pod ends up with: the container's args (--config pointing
   * into the ConfigMap's volume) and env (downward API and Secret values filled in, $(VAR)
   * references expanded), through the node's own ConfigLoader.
   */
  private NodeConfig loadAsThePodWould() throws IOException {
    Map<String, String> env = new HashMap<>(podEnv());
    env.put("HOSTNAME", APP + "-0");
    List<Object> args = Yamls.list(container.get("args"));
    int configFlag = args.indexOf(ConfigKeys.flagName(ConfigKeys.CONFIG));
    assertThat(configFlag).as("args pass --config").isNotNegative();
    Path configPath = Path.of(args.get(configFlag + 1).toString());

    Map<String, Object> mount = named(mapsAt(container, "volumeMounts"), "config");
    Map<String, Object> volume = named(mapsAt(statefulSet, "spec", "template", "spec", "volumes"), "config");
    String configMapName = at(volume, "configMap", "name").toString();
    assertThat(configPath.getParent()).isEqualTo(Path.of(mount.get("mountPath").toString()));
    Object content = at(manifests.get("ConfigMap", configMapName), "data", configPath.getFileName().toString());
    assertThat(content).as("the ConfigMap holds %s", configPath.getFileName()).isNotNull();

    Path file = Files.writeString(tmp.resolve(configPath.getFileName().toString()), content.toString());
    return new ConfigLoader(env).load(Map.of(ConfigKeys.CONFIG, file.toString()));
  }

  private static Map<String, String> podEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> entry : mapsAt(container, "env")) {
      String name = entry.get("name").toString();
      if (entry.get("value") != null) {
        env.put(name, expand(entry.get("value").toString(), env));
      } else if (at(entry, "valueFrom", "fieldRef", "fieldPath") != null) {
        String field = at(entry, "valueFrom", "fieldRef", "fieldPath").toString();
        assertThat(FIELDS).as("downward API field of %s", name).containsKey(field);
        env.put(name, FIELDS.get(field));
      } else if (at(entry, "valueFrom", "secretKeyRef") != null) {
        env.put(name, "a-secret-from-" + at(entry, "valueFrom", "secretKeyRef", "name"));
      } else {
        throw new AssertionError("env " + name + " has no value this test understands: " + entry);
      }
    }
    return env;
  }

  /** Kubernetes' $(VAR) expansion, from the variables defined before this one. */
  private static String expand(String value, Map<String, String> defined) {
    Matcher matcher = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
    StringBuilder expanded = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      assertThat(defined).as("$(%s) is defined before it is used", name).containsKey(name);
      matcher.appendReplacement(expanded, Matcher.quoteReplacement(defined.get(name)));
    }
    return matcher.appendTail(expanded).toString();
  }

  /** A probe's or service's port: a number, or the name of one of the container's ports. */
  private static int containerPort(Object port) {
    if (port instanceof Integer number) {
      return number;
    }
    return (Integer) named(mapsAt(container, "ports"), port.toString()).get("containerPort");
  }
}
