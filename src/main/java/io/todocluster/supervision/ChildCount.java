package io.todocluster.supervision;

/** OTP's {@code count_children}: specs, running children, and how many are supervisors or workers. */
public record ChildCount(int specs, int active, int supervisors, int workers) {
}
