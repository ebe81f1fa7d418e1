package io.todocluster.todo;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure domain of one to-do list (the book's {@code Todo.List}): entries by id, ids increasing
 * and never reused, even after a delete. Not thread-safe: one list process owns it.
 */
public final class TodoList {

  private final TreeMap<Long, Entry> entries = new TreeMap<>();
  private long nextId;

  public TodoList() {
    this(1, Map.of());
  }

  /** A list as it was stored: the next id to give, and the entries that exist. */
  public TodoList(long nextId, Map<Long, Entry> stored) {
    if (nextId < 1) {
      throw new IllegalArgumentException("nextId must be >= 1, got " + nextId);
    }
    this.nextId = nextId;
    stored.values().forEach(this::put);
  }

  /** The entry that {@link #add} would create, without creating it. */
  public Entry nextEntry(LocalDate date, String title) {
    return new Entry(nextId, date, title);
  }

  public Entry add(LocalDate date, String title) {
    Entry entry = nextEntry(date, title);
    put(entry);
    return entry;
  }

  /** Puts an entry as given; the next id moves past it. */
  public void put(Entry entry) {
    entries.put(entry.id(), entry);
    nextId = Math.max(nextId, entry.id() + 1);
  }

  public List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  public List<Entry> entries(LocalDate date) {
    return entries.values().stream().filter(e -> e.date().equals(date)).toList();
  }

  public Optional<Entry> get(long id) {
    return Optional.ofNullable(entries.get(id));
  }

  /** The entry with a new date and/or title; empty when there is no such entry. */
  public Optional<Entry> update(long id, LocalDate date, String title) {
    Entry old = entries.get(id);
    if (old == null) {
      return Optional.empty();
    }
    Entry updated = new Entry(id, date == null ? old.date() : date, title == null ? old.title() : title);
    entries.put(id, updated);
    return Optional.of(updated);
  }

  public boolean delete(long id) {
    return entries.remove(id) != null;
  }

  public long nextId() {
    return nextId;
  }

  public int size() {
    return entries.size();
  }
}
