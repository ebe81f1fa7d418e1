package io.todocluster.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures as rows: aligned text for the terminal, a Markdown table for BENCHMARKS.md. */
public final class ResultTable {

  static final List<String> COLUMNS =
      List.of("benchmark", "figure", "ours", "baseline", "baseline value", "ratio", "goal", "verdict");

  private ResultTable() {}

  static List<List<String>> rows(List<Figure> figures) {
    List<List<String>> rows = new ArrayList<>();
    for (Figure f : figures) {
      boolean hasBaseline = f.baseline() != null;
      rows.add(List.of(f.benchmark(), f.what(), withUnit(f.value(), f.unit()),
          hasBaseline ? f.baseline() : "-",
          hasBaseline ? withUnit(f.baselineValue(), f.unit()) : "-",
          Double.isNaN(f.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", f.ratio()),
          f.goal() == null ? "-" : f.goal().toString(),
          f.verdict()));
    }
    return rows;
  }

  /** Columns padded to their widest cell, two spaces apart. */
  public static String text(List<Figure> figures) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(COLUMNS);
    rows.addAll(rows(figures));
    int[] widths = new int[COLUMNS.size()];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        line.append(String.format("%-" + widths[c] + "s", row.get(c)));
        if (c < row.size() - 1) {
          line.append("  ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A GitHub Markdown table; a '|' inside a cell is escaped. */
  public static String markdown(List<Figure> figures) {
    StringBuilder out = new StringBuilder();
    out.append(markdownRow(COLUMNS));
    out.append("|").append("---|".repeat(COLUMNS.size())).append('\n');
    for (List<String> row : rows(figures)) {
      out.append(markdownRow(row));
    }
    return out.toString();
  }

  private static String markdownRow(List<String> cells) {
    StringBuilder row = new StringBuilder("|");
    for (String cell : cells) {
      row.append(' ').append(cell.replace("|", "\\|")).append(" |");
    }
    return row.append('\n').toString();
  }

  static String withUnit(double value, String unit) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return unit == null || unit.isEmpty() ? number(value) : number(value) + " " + unit;
  }

  /** Integers without decimals, small numbers with up to 2, thousands separated by ','. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 100 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,d", Math.round(value));
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
