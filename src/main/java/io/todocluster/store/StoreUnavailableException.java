package io.todocluster.store;

/** The store cannot serve this key now (a minority partition, or the node is leaving). */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
