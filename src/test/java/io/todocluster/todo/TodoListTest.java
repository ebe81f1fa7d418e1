package io.todocluster.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A to-do list")
class TodoListTest {

  static final LocalDate MONDAY = LocalDate.of(2026, 11, 23);
  static final LocalDate TUESDAY = LocalDate.of(2026, 11, 24);

  @Test
  @DisplayName("gives increasing ids starting at 1")
  void increasingIds() {
    TodoList list = new TodoList();
    assertThat(list.add(MONDAY, "Dentist").id()).isEqualTo(1);
    assertThat(list.add(MONDAY, "Movies").id()).isEqualTo(2);
  }

  @Test
  @DisplayName("never reuses the id of a deleted entry")
  void idsNeverReused() {
    TodoList list = new TodoList();
    list.add(MONDAY, "a");
    Entry b = list.add(MONDAY, "b");
    assertThat(list.delete(b.id())).isTrue();
    assertThat(list.add(MONDAY, "c").id()).isEqualTo(3);
  }

  @Test
  @DisplayName("lists entries by date, in id order")
  void entriesByDate() {
    TodoList list = new TodoList();
    list.add(TUESDAY, "later");
    list.add(MONDAY, "first");
    list.add(MONDAY, "second");
    assertThat(list.entries(MONDAY)).extracting(Entry::title).containsExactly("first", "second");
    assertThat(list.entries()).extracting(Entry::id).containsExactly(1L, 2L, 3L);
  }

  @Test
  @DisplayName("updates a date or a title and keeps the other")
  void update() {
    TodoList list = new TodoList();
    Entry e = list.add(MONDAY, "Dentist");
    assertThat(list.update(e.id(), null, "Doctor")).contains(new Entry(1, MONDAY, "Doctor"));
    assertThat(list.update(e.id(), TUESDAY, null)).contains(new Entry(1, TUESDAY, "Doctor"));
    assertThat(list.update(42, MONDAY, "x")).isEmpty();
  }

  @Test
  @DisplayName("deleting an absent entry changes nothing")
  void deleteAbsent() {
    TodoList list = new TodoList();
    list.add(MONDAY, "a");
    assertThat(list.delete(7)).isFalse();
    assertThat(list.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("restored from the store, continues after the stored next id even past deleted entries")
  void restore() {
    TodoList list = new TodoList(5, Map.of(2L, new Entry(2, MONDAY, "kept")));
    assertThat(list.entries()).containsExactly(new Entry(2, MONDAY, "kept"));
    assertThat(list.add(MONDAY, "new").id()).isEqualTo(5);
  }
}
