package dev.weft.it.interop;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every js-libp2p interop test needs: Node.js and the pinned npm packages present (checked
 * once per class), and everything the test opened (hosts, pubsubs, js processes) closed after each
 * test in reverse order of opening.
 */
abstract class JsInteropFixture {
  /** Closed after each test, last added first. */
  protected final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void requireNode() {
    NodeCheck.requireJsEnvironment();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    closeables.clear();
  }
}
