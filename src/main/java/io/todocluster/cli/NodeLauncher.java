package io.todocluster.cli;

import io.todocluster.node.NodeConfig;

/**
 * Runs a node with a validated configuration and returns the process exit code. The seam lets
 * tests check the command line without starting a node.
 */
@FunctionalInterface
public interface NodeLauncher {

  int run(NodeConfig config);
}
