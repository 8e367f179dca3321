package dev.weft.net.health;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.core.events.OverlayEvents;
import dev.weft.health.quarantine.HealthMonitor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NodeHealth's plain event delegate forwards every event the health monitor handles. */
class NodeHealthEventsTest {
  @Test
  void shouldForwardEveryOverlayEventTheMonitorOverrides() {
    List<String> missing = new ArrayList<>();
    for (Method m : OverlayEvents.class.getMethods()) {
      if (!m.isDefault()) {
        continue;
      }
      if (declares(HealthMonitor.class, m) && !declares(NodeHealth.LockedEvents.class, m)) {
        missing.add(m.getName());
      }
    }
    assertTrue(missing.isEmpty(), "NodeHealth.LockedEvents does not forward " + missing);
  }

  private static boolean declares(Class<?> c, Method m) {
    try {
      c.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
