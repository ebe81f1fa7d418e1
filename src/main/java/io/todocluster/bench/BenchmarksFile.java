package io.todocluster.bench;

/**
 * Rewrites this harness's part of BENCHMARKS.md and nothing else: the text between
 * {@link #BEGIN} and {@link #END}. Sections other engineers add by hand (e.g. "Encryption cost")
 * live outside the markers and are kept byte for byte.
 */
public final class BenchmarksFile {

  static final String BEGIN = "<!-- bench:begin (written by `todo-cluster bench`; edit outside these markers) -->";
  static final String END = "<!-- bench:end -->";
  private static final String BEGIN_PREFIX = "<!-- bench:begin";

  private BenchmarksFile() {}

  /**
   * The file's new text: {@code existing} with our section replaced by {@code section}. A file
   * without our markers keeps all its text, with our section put first under its title; an empty
   * file gets a title.
   */
  public static String rewrite(String existing, String section) {
    String block = BEGIN + "\n" + section.strip() + "\n" + END + "\n";
    if (existing == null || existing.isBlank()) {
      return "# Benchmarks\n\n" + block;
    }
    int begin = existing.indexOf(BEGIN_PREFIX);
    int end = existing.indexOf(END, Math.max(begin, 0));
    if (begin >= 0 && end > begin) {
      String after = existing.substring(end + END.length());
      if (after.startsWith("\n")) {
        after = after.substring(1);
      }
      return existing.substring(0, begin) + block + after;
    }
    // no section of ours yet: after the first heading line if there is one, else on top
    if (existing.startsWith("# ")) {
      int eol = existing.indexOf('\n');
      String title = eol < 0 ? existing + "\n" : existing.substring(0, eol + 1);
      String rest = eol < 0 ? "" : existing.substring(eol + 1);
      return title + "\n" + block + "\n" + rest.stripLeading();
    }
    return "# Benchmarks\n\n" + block + "\n" + existing;
  }
}
