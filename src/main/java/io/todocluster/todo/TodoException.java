package io.todocluster.todo;

/**
 * A failure a client can act on, with the HTTP status that says so. On the event bus it travels
 * as a {@code ReplyException} whose failure code is that status (the contract).
 */
public final class TodoException extends RuntimeException {

  private final int status;

  public TodoException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static TodoException badRequest(String message) {
    return new TodoException(400, message);
  }

  public static TodoException notFound(String message) {
    return new TodoException(404, message);
  }

  public static TodoException unavailable(String message) {
    return new TodoException(503, message);
  }
}
