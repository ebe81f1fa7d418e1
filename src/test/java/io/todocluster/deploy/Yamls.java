package io.todocluster.deploy;

import java.util.List;
import java.util.Map;

/** Typed reads of parsed YAML trees (maps, lists and scalars), failing with the path asked for. */
final class Yamls {

  private Yamls() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("expected a mapping, got " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) {
      throw new AssertionError("expected a list, got " + node);
    }
    return (List<Object>) node;
  }

  /** The value at a path of keys, e.g. {@code at(statefulSet, "spec", "replicas")}; null if absent. */
  static Object at(Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  static Map<String, Object> mapAt(Object node, String... keys) {
    Object value = at(node, keys);
    if (value == null) {
      throw new AssertionError("nothing at " + String.join(".", keys));
    }
    return map(value);
  }

  static List<Map<String, Object>> mapsAt(Object node, String... keys) {
    Object value = at(node, keys);
    if (value == null) {
      throw new AssertionError("nothing at " + String.join(".", keys));
    }
    return list(value).stream().map(Yamls::map).toList();
  }

  /** The entry of a list of mappings whose {@code name} is this one. */
  static Map<String, Object> named(List<Map<String, Object>> entries, String name) {
    return entries.stream().filter(e -> name.equals(e.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + entries));
  }
}
