package dev.weft.net.emulation;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Profiles of the links of an emulated network, by direction, and the live {@link LinkEmulator}s
 * that apply them, so a test or the CLI demo can congest, degrade or partition a given link while
 * connections are open.
 *
 * <p>A link direction is a {@link LinkKey}: the label of the sending node and the label of the
 * receiving node (any strings: peer IDs, names such as {@code "n3"}, or a remote address as
 * {@link #addressLabel}). A connection's pipeline gets an emulator from {@link #attach}; changing
 * the profile of a key updates every live emulator of that key at once. Keys without an explicit
 * profile use the default profile. {@link #setLink} and {@link #partition} act on both directions.
 *
 * <p>Each emulator gets its own {@link SplittableRandom} seeded from the registry seed, its key and
 * the number of emulators created for that key before it, so runs with the same seed and the same
 * connections draw the same jitter and losses whatever the order the connections open in.
 * Thread-safe.
 */
public final class LinkEmulatorRegistry {

  /**
   * One direction of a link.
   *
   * @param local label of the sending node
   * @param remote label of the receiving node
   */
  public record LinkKey(String local, String remote) {
    /** Validates the labels. */
    public LinkKey {
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
    }

    /** The opposite direction. */
    public LinkKey reverse() {
      return new LinkKey(remote, local);
    }
  }

  private final long seed;
  private final LongSupplier clock;
  private final Map<LinkKey, LinkProfile> profiles = new ConcurrentHashMap<>();
  private final Map<LinkKey, Set<LinkEmulator>> live = new ConcurrentHashMap<>();
  private final Map<LinkKey, AtomicLong> created = new ConcurrentHashMap<>();
  private volatile LinkProfile defaultProfile = LinkProfile.IDEAL;

  /** A registry whose emulators draw randomness from {@code seed} and use the real clock. */
  public LinkEmulatorRegistry(long seed) {
    this(seed, System::nanoTime);
  }

  /**
   * A registry whose emulators draw randomness from {@code seed} and read time from {@code clock}
   * (see {@link LinkEmulator#LinkEmulator(LinkProfile, java.util.random.RandomGenerator,
   * LongSupplier)}).
   */
  public LinkEmulatorRegistry(long seed, LongSupplier clock) {
    this.seed = seed;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The text label of a remote address: {@code host:port} for IP sockets. */
  public static String addressLabel(SocketAddress address) {
    if (address instanceof InetSocketAddress a) {
      String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
      return host + ":" + a.getPort();
    }
    return String.valueOf(address);
  }

  /**
   * A new emulator for sends from {@code local} to {@code remote}, with that direction's current
   * profile; it leaves the registry when its channel goes inactive or it is removed from the
   * pipeline. Add it with {@code pipeline.addFirst}.
   */
  public LinkEmulator attach(String local, String remote) {
    LinkKey k = new LinkKey(local, remote);
    long n = created.computeIfAbsent(k, x -> new AtomicLong()).getAndIncrement();
    long s = mix(seed ^ mix(k.hashCode() * 0x9E3779B97F4A7C15L + n));
    LinkEmulator e = new LinkEmulator(profile(local, remote), new SplittableRandom(s), clock);
    register(e, k);
    e.setProfile(profile(local, remote)); // a change made between creation and registration
    return e;
  }

  /** {@link #attach(String, String)} with the remote given by address. */
  public LinkEmulator attach(String local, SocketAddress remote) {
    return attach(local, addressLabel(remote));
  }

  /**
   * Moves a live emulator to another key (for example from the remote address to the remote peer
   * ID once the handshake has identified it) and gives it that key's profile.
   */
  public void rebind(LinkEmulator emulator, String local, String remote) {
    LinkKey old = emulator.key();
    if (old != null) {
      unregister(emulator, old);
    }
    LinkKey k = new LinkKey(local, remote);
    register(emulator, k);
    emulator.setProfile(profile(local, remote));
  }

  /** The profile of the direction {@code local -> remote} (explicit, else the default). */
  public LinkProfile profile(String local, String remote) {
    return profiles.getOrDefault(new LinkKey(local, remote), defaultProfile);
  }

  /** Sets the profile of one direction and applies it to its live emulators. */
  public void setProfile(String local, String remote, LinkProfile profile) {
    Objects.requireNonNull(profile, "profile");
    LinkKey k = new LinkKey(local, remote);
    profiles.put(k, profile);
    apply(k, profile);
  }

  /** Sets the same profile on both directions between {@code a} and {@code b}. */
  public void setLink(String a, String b, LinkProfile profile) {
    setProfile(a, b, profile);
    setProfile(b, a, profile);
  }

  /** Forgets the explicit profile of one direction: it falls back to the default. */
  public void clearProfile(String local, String remote) {
    LinkKey k = new LinkKey(local, remote);
    profiles.remove(k);
    apply(k, defaultProfile);
  }

  /** Sets the profile of every direction without an explicit one, live emulators included. */
  public void setDefaultProfile(LinkProfile profile) {
    defaultProfile = Objects.requireNonNull(profile, "profile");
    for (LinkKey k : live.keySet()) {
      if (!profiles.containsKey(k)) {
        apply(k, profile);
      }
    }
  }

  /** The profile of directions without an explicit one. */
  public LinkProfile defaultProfile() {
    return defaultProfile;
  }

  /** Cuts both directions between {@code a} and {@code b}, keeping their other properties. */
  public void partition(String a, String b) {
    setProfile(a, b, profile(a, b).withPartitioned(true));
    setProfile(b, a, profile(b, a).withPartitioned(true));
  }

  /** Heals both directions between {@code a} and {@code b}; held writes then leave in order. */
  public void heal(String a, String b) {
    setProfile(a, b, profile(a, b).withPartitioned(false));
    setProfile(b, a, profile(b, a).withPartitioned(false));
  }

  /** Cuts every link between a node of {@code left} and a node of {@code right}. */
  public void partition(Collection<String> left, Collection<String> right) {
    for (String a : left) {
      for (String b : right) {
        partition(a, b);
      }
    }
  }

  /** Heals every link between a node of {@code left} and a node of {@code right}. */
  public void heal(Collection<String> left, Collection<String> right) {
    for (String a : left) {
      for (String b : right) {
        heal(a, b);
      }
    }
  }

  /** Live emulators of one direction. */
  public List<LinkEmulator> emulators(String local, String remote) {
    Set<LinkEmulator> s = live.get(new LinkKey(local, remote));
    return s == null ? List.of() : List.copyOf(s);
  }

  /** Live emulators of every direction that starts at {@code local} (e.g. a host's peer ID). */
  public List<LinkEmulator> emulatorsFrom(String local) {
    List<LinkEmulator> out = new java.util.ArrayList<>();
    live.forEach((k, s) -> {
      if (k.local().equals(local)) {
        out.addAll(s);
      }
    });
    return out;
  }

  /** Number of live emulators. */
  public int liveCount() {
    int n = 0;
    for (Set<LinkEmulator> s : live.values()) {
      n += s.size();
    }
    return n;
  }

  private void register(LinkEmulator e, LinkKey k) {
    live.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet()).add(e);
    e.bind(k, () -> unregister(e, k));
  }

  private void unregister(LinkEmulator e, LinkKey k) {
    live.computeIfPresent(k, (x, s) -> {
      s.remove(e);
      return s.isEmpty() ? null : s;
    });
  }

  private void apply(LinkKey k, LinkProfile profile) {
    Set<LinkEmulator> s = live.get(k);
    if (s != null) {
      for (LinkEmulator e : s) {
        e.setProfile(profile);
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
