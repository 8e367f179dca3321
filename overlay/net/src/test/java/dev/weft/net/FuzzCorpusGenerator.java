package dev.weft.net;

import com.google.protobuf.ByteString;
import dev.weft.core.identity.Multiaddr;
import dev.weft.core.identity.PeerId;
import dev.weft.core.util.Varint;
import dev.weft.core.wire.ControlMessage;
import dev.weft.core.wire.MessageId;
import dev.weft.core.wire.PeerInfo;
import dev.weft.core.wire.PubMessage;
import dev.weft.core.wire.Rpc;
import dev.weft.core.wire.SubOpts;
import dev.weft.net.crypto.Ed25519Keys;
import dev.weft.net.crypto.Keys;
import dev.weft.net.crypto.PeerRecord;
import dev.weft.net.crypto.PrivKey;
import dev.weft.net.crypto.Secp256k1Keys;
import dev.weft.net.multistream.Negotiator;
import dev.weft.net.noise.CipherState;
import dev.weft.net.noise.NoiseHandshakePayloads;
import dev.weft.net.noise.NoiseIdentity;
import dev.weft.net.noise.NoiseSession;
import dev.weft.net.pb.IdentifyProto;
import dev.weft.net.pb.RpcProto;
import dev.weft.net.pubsub.RpcCodec;
import dev.weft.net.yamux.YamuxFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the committed seed corpus of every fuzz target in this module: valid messages made with
 * our own encoders plus truncated, oversized and malformed variants. Jazzer replays them in every
 * build (regression mode) from {@code src/test/resources/<package>/<Class>Inputs/<method>/}.
 *
 * <p>Run once after changing an encoder or a target (see docs/fuzzing.md):
 * {@code mvn -pl overlay/net -am test -Dtest=FuzzCorpusGenerator -Dweft.fuzz.writeCorpus=true
 * -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "weft.fuzz.writeCorpus", matches = "true")
class FuzzCorpusGenerator {
  private static final Path RESOURCES = Path.of("src/test/resources");

  private static void seed(String testClass, String method, String name, byte[] data) throws IOException {
    Path dir = RESOURCES.resolve(testClass.replace('.', '/') + "Inputs").resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), data);
  }

  /** The valid input plus cut-short variants. */
  private static void seedWithTruncations(String testClass, String method, String name, byte[] valid)
      throws IOException {
    seed(testClass, method, name, valid);
    if (valid.length > 1) {
      seed(testClass, method, name + "-truncated-half", Arrays.copyOf(valid, valid.length / 2));
      seed(testClass, method, name + "-truncated-last", Arrays.copyOf(valid, valid.length - 1));
    }
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] lp(byte[] payload) {
    return cat(Varint.encode(payload.length), payload);
  }

  @Test
  void writeIdentitySeeds() throws Exception {
    String c = "dev.weft.net.crypto.IdentityParsersFuzzTest";
    PrivKey ed = Ed25519Keys.fromSeed(FuzzFixtures.filled(32, 1));
    PrivKey secp = Secp256k1Keys.fromPrivateBytes(FuzzFixtures.filled(32, 2));
    PeerId edId = ed.publicKey().peerId();
    String[] addrs = {"/ip4/127.0.0.1/tcp/4001", "/ip6/::1/tcp/4001/p2p/" + edId,
        "/dns4/example.com/tcp/443/wss", "/ip4/1.2.3.4/udp/4001/quic-v1",
        "/ip4/1.2.3.4/tcp/1/p2p/" + edId + "/p2p-circuit/p2p/" + secp.publicKey().peerId()};
    for (int i = 0; i < addrs.length; i++) {
      Multiaddr m = Multiaddr.parse(addrs[i]);
      seedWithTruncations(c, "multiaddrBytes", "valid-" + i, m.toBytes());
      seed(c, "multiaddrText", "valid-" + i, utf8(addrs[i]));
    }
    seed(c, "multiaddrBytes", "oversized-dns-name", cat(new byte[] {0x36}, Varint.encode(70000),
        FuzzFixtures.filled(64, 'a')));
    seed(c, "multiaddrText", "unknown-protocol", utf8("/ip4/1.2.3.4/nope/1"));
    seed(c, "multiaddrText", "port-overflow", utf8("/ip4/1.2.3.4/tcp/65536"));

    seedWithTruncations(c, "peerId", "ed25519-bytes", edId.toBytes());
    seed(c, "peerId", "ed25519-base58", utf8(edId.toBase58()));
    seed(c, "peerId", "secp256k1-cid", utf8(secp.publicKey().peerId().toCidString()));
    seed(c, "peerId", "cid-bytes", edId.toCidBytes());
    seed(c, "peerId", "oversized-multihash", cat(new byte[] {0x00}, Varint.encode(200),
        FuzzFixtures.filled(16, 1)));

    seedWithTruncations(c, "publicKeyProtobuf", "ed25519", Keys.marshalPublicKey(ed.publicKey()));
    seedWithTruncations(c, "publicKeyProtobuf", "secp256k1", Keys.marshalPublicKey(secp.publicKey()));
    seed(c, "publicKeyProtobuf", "oversized-length", cat(new byte[] {0x08, 0x01, 0x12},
        Varint.encode(1 << 30)));
    seedWithTruncations(c, "privateKeyProtobuf", "ed25519", Keys.marshalPrivateKey(ed));
    seedWithTruncations(c, "privateKeyProtobuf", "secp256k1", Keys.marshalPrivateKey(secp));

    PeerRecord rec = new PeerRecord(edId, 7, List.of(Multiaddr.parse(addrs[0]), Multiaddr.parse(addrs[2])));
    byte[] env = rec.toEnvelope(ed).toBytes();
    seedWithTruncations(c, "signedPeerRecordEnvelope", "valid", env);
    byte[] tampered = env.clone();
    tampered[tampered.length - 1] ^= 1;
    seed(c, "signedPeerRecordEnvelope", "bad-signature", tampered);
    seed(c, "signedPeerRecordEnvelope", "oversized", cat(new byte[] {0x0a}, Varint.encode(1 << 20)));
    seedWithTruncations(c, "peerRecordProtobuf", "valid", rec.toProtobuf());
  }

  @Test
  void writeFramingSeeds() throws Exception {
    String c = "dev.weft.net.stream.FramingFuzzTest";
    seedWithTruncations(c, "lengthPrefixedReader", "three-messages",
        cat(lp(utf8("hello")), lp(new byte[0]), lp(FuzzFixtures.filled(64, 9))));
    seed(c, "lengthPrefixedReader", "oversized-length", cat(Varint.encode(65), FuzzFixtures.filled(65, 1)));
    seed(c, "lengthPrefixedReader", "five-byte-prefix", new byte[] {(byte) 0x80, (byte) 0x80,
        (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
    seed(c, "lengthPrefixedReader", "non-minimal-prefix", new byte[] {(byte) 0x81, 0x00, 0x41});
    for (long v : new long[] {0, 1, 127, 128, 300, 1L << 32, Long.MAX_VALUE}) {
      seed(c, "varint", "value-" + v, Varint.encode(v));
    }
    seed(c, "varint", "ten-bytes", new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01});
    seed(c, "varint", "non-minimal", new byte[] {(byte) 0x80, 0x00});
    seed(c, "varint", "truncated", new byte[] {(byte) 0x80});
  }

  @Test
  void writeRpcSeeds() throws Exception {
    String c = "dev.weft.net.pubsub.RpcCodecFuzzTest";
    String m = "decodeOnlyThrowsDecodeExceptionAndRoundTrips";
    PrivKey ed = Ed25519Keys.fromSeed(FuzzFixtures.filled(32, 1));
    PeerId id = ed.publicKey().peerId();
    MessageId mid = MessageId.of(utf8("msg-1"));
    Rpc full = new Rpc(List.of(new SubOpts(true, "blocks"), new SubOpts(false, "old")),
        List.of(new PubMessage(id.toBytes(), utf8("payload"), new byte[] {0, 0, 0, 0, 0, 0, 0, 1},
            "blocks", FuzzFixtures.filled(64, 4), null)),
        new ControlMessage(List.of(new ControlMessage.IHave("blocks", List.of(mid))),
            List.of(new ControlMessage.IWant(List.of(mid))),
            List.of(new ControlMessage.Graft("blocks")),
            List.of(new ControlMessage.Prune("blocks",
                List.of(new PeerInfo(id, new PeerRecord(id, 1, List.of()).toEnvelope(ed).toBytes())), 60L)),
            List.of(new ControlMessage.IDontWant(List.of(mid)))));
    seedWithTruncations(c, m, "full-rpc", RpcCodec.encode(full));
    seed(c, m, "subscription-only", RpcCodec.encode(new Rpc(List.of(new SubOpts(true, "t")), List.of(), null)));
    RpcProto.ControlIHave.Builder ihave = RpcProto.ControlIHave.newBuilder().setTopicID("t");
    for (int i = 0; i < 9; i++) {
      ihave.addMessageIDs(ByteString.copyFrom(new byte[] {(byte) i}));
    }
    seed(c, m, "too-many-ihave-ids", RpcProto.RPC.newBuilder()
        .setControl(RpcProto.ControlMessage.newBuilder().addIhave(ihave)).build().toByteArray());
    seed(c, m, "prune-backoff-uint64-max", RpcProto.RPC.newBuilder()
        .setControl(RpcProto.ControlMessage.newBuilder().addPrune(
            RpcProto.ControlPrune.newBuilder().setTopicID("t").setBackoff(-1L))).build().toByteArray());
    seed(c, m, "oversized-field-length", cat(new byte[] {0x12}, Varint.encode(1 << 28)));
    seed(c, m, "empty-message-id", RpcProto.RPC.newBuilder().setControl(RpcProto.ControlMessage
        .newBuilder().addIwant(RpcProto.ControlIWant.newBuilder().addMessageIDs(ByteString.EMPTY)))
        .build().toByteArray());
  }

  @Test
  void writeNoiseSeeds() throws Exception {
    String c = "dev.weft.net.noise.NoiseFuzzTest";
    PrivKey id = FuzzFixtures.NOISE_IDENTITY;
    byte[] payload = NoiseHandshakePayloads.encode(id, FuzzFixtures.NOISE_STATIC_PUB,
        List.of("/yamux/1.0.0", "/mplex/6.7.0"));
    seedWithTruncations(c, "handshakePayload", "valid-with-muxers", payload);
    seed(c, "handshakePayload", "valid-no-muxers",
        NoiseHandshakePayloads.encode(id, FuzzFixtures.NOISE_STATIC_PUB, List.of()));
    seed(c, "handshakePayload", "too-many-muxers", NoiseHandshakePayloads.encode(id,
        FuzzFixtures.NOISE_STATIC_PUB, Collections.nCopies(17, "/m")));
    seed(c, "handshakePayload", "muxer-name-too-long", NoiseHandshakePayloads.encode(id,
        FuzzFixtures.NOISE_STATIC_PUB, List.of("/" + "x".repeat(300))));
    seed(c, "handshakePayload", "signed-for-other-static-key",
        NoiseHandshakePayloads.encode(id, FuzzFixtures.NOISE_OTHER_STATIC_PUB, List.of()));

    // handshakeMessages: byte 0 picks the role (odd = initiator), byte 1 the read size
    SecureRandom rnd = new SecureRandom();
    NoiseSession initiator = new NoiseSession(NoiseIdentity.create(
        Ed25519Keys.fromSeed(FuzzFixtures.filled(32, 11)), List.of("/yamux/1.0.0"), rnd), true, null, rnd);
    byte[] msg1 = initiator.start();
    byte[] framed1 = cat(new byte[] {(byte) (msg1.length >> 8), (byte) msg1.length}, msg1);
    seedWithTruncations(c, "handshakeMessages", "responder-message-1", cat(new byte[] {0, 7}, framed1));
    seed(c, "handshakeMessages", "responder-oversized-length", new byte[] {0, 7, (byte) 0xFF, (byte) 0xFF, 1, 2});
    seed(c, "handshakeMessages", "responder-short-message", new byte[] {0, 7, 0, 4, 1, 2, 3, 4});
    byte[] msg2Shape = new byte[32 + 48 + 16 + 100];
    rnd.nextBytes(msg2Shape);
    seed(c, "handshakeMessages", "initiator-garbage-message-2",
        cat(new byte[] {1, 40, 0, (byte) msg2Shape.length}, msg2Shape));
    seed(c, "handshakeMessages", "initiator-oversized-length", new byte[] {1, 7, (byte) 0xFF, (byte) 0xFF});

    // transportFrames: frames encrypted under the fixture key with nonces 0, 1, 2
    CipherState send = new CipherState();
    send.initializeKey(FuzzFixtures.NOISE_TRANSPORT_KEY);
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    for (String text : new String[] {"first frame", "", "third frame, a bit longer"}) {
      byte[] ct = send.encryptWithAd(new byte[0], utf8(text));
      frames.writeBytes(new byte[] {(byte) (ct.length >> 8), (byte) ct.length});
      frames.writeBytes(ct);
    }
    byte[] valid = frames.toByteArray();
    seedWithTruncations(c, "transportFrames", "three-frames", valid);
    byte[] tampered = valid.clone();
    tampered[5] ^= 1;
    seed(c, "transportFrames", "tampered-first-frame", tampered);
    seed(c, "transportFrames", "shorter-than-tag", new byte[] {0, 15, 1, 2, 3});
    seed(c, "transportFrames", "max-length-announced", cat(new byte[] {(byte) 0xFF, (byte) 0xFF},
        FuzzFixtures.filled(100, 0)));
  }

  @Test
  void writeMultistreamSeeds() throws Exception {
    String c = "dev.weft.net.multistream.NegotiatorFuzzTest";
    byte[] header = Negotiator.encode(Negotiator.HEADER);
    seedWithTruncations(c, "listenerChannel", "select-a", cat(header, Negotiator.encode("/a")));
    seed(c, "listenerChannel", "ls-then-unknown-then-b", cat(header, Negotiator.encode("ls"),
        Negotiator.encode("/nope"), Negotiator.encode("/b")));
    seed(c, "listenerChannel", "yamux-with-pipelined-data", cat(header,
        Negotiator.encode("/yamux/1.0.0"), utf8("pipelined")));
    seed(c, "listenerChannel", "oversized-message", new byte[] {(byte) 0x81, 0x08, '/'});
    seed(c, "listenerChannel", "three-byte-prefix", new byte[] {(byte) 0x80, (byte) 0x80, 0x01});
    seed(c, "listenerChannel", "missing-newline", cat(new byte[] {0x03}, utf8("/ab")));
    // negotiatorStateMachine: byte 0 even = listener fed a dialer, odd = dialer fed a listener
    seedWithTruncations(c, "negotiatorStateMachine", "listener-select-b",
        cat(new byte[] {0}, header, Negotiator.encode("/x"), Negotiator.encode("/b")));
    seed(c, "negotiatorStateMachine", "dialer-na-then-echo",
        cat(new byte[] {1}, header, Negotiator.encode("na"), Negotiator.encode("/b")));
    seed(c, "negotiatorStateMachine", "dialer-wrong-echo",
        cat(new byte[] {1}, header, Negotiator.encode("/a")));
  }

  private static byte[] yamux(int type, int flags, int id, long length, byte[] payload) {
    ByteBuf b = Unpooled.buffer();
    YamuxFrame.writeHeader(b, type, flags, id, length);
    if (payload != null) {
      b.writeBytes(payload);
    }
    return ByteBufUtil.getBytes(b);
  }

  @Test
  void writeYamuxSeeds() throws Exception {
    String c = "dev.weft.net.yamux.YamuxDecoderFuzzTest";
    String m = "arbitraryBytesShouldNeverThrow";
    // the input's length parity picks the target's role; each session is seeded in both parities
    byte[] session = cat(
        yamux(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null),
        yamux(YamuxFrame.TYPE_DATA, 0, 1, 5, utf8("hello")),
        yamux(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, 42, null),
        yamux(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, 1, 0, null),
        yamux(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_NORMAL, null));
    seedWithTruncations(c, m, "open-data-ping-fin-goaway", session);
    seed(c, m, "open-data-ping-fin-goaway-other-role", cat(session, new byte[] {0}));
    seed(c, m, "data-beyond-window", cat(
        yamux(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null),
        yamux(YamuxFrame.TYPE_DATA, 0, 1, 256 * 1024 + 1, FuzzFixtures.filled(64, 1))));
    seed(c, m, "window-update-overflow", cat(
        yamux(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null),
        yamux(YamuxFrame.TYPE_WINDOW_UPDATE, 0, 1, 0xFFFFFFFFL, null),
        yamux(YamuxFrame.TYPE_WINDOW_UPDATE, 0, 1, 0xFFFFFFFFL, null)));
    seed(c, m, "bad-version", new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
    seed(c, m, "data-for-unknown-stream", yamux(YamuxFrame.TYPE_DATA, 0, 7, 3, utf8("abc")));
  }

  private static byte[] mplex(long id, int flag, byte[] data) {
    return cat(Varint.encode(id << 3 | flag), Varint.encode(data.length), data);
  }

  @Test
  void writeMplexSeeds() throws Exception {
    String c = "dev.weft.net.mplex.MplexDecoderFuzzTest";
    String m = "arbitraryBytesShouldNeverThrow";
    seedWithTruncations(c, m, "open-message-close-reset", cat(
        mplex(3, 0, utf8("3")), mplex(3, 2, utf8("hello")), mplex(3, 4, new byte[0]),
        mplex(5, 0, utf8("5")), mplex(5, 6, new byte[0])));
    seed(c, m, "oversized-message", cat(mplex(3, 0, utf8("3")),
        Varint.encode(3 << 3 | 2), Varint.encode(1025), FuzzFixtures.filled(32, 1)));
    seed(c, m, "overlong-varint", new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01});
    seed(c, m, "unknown-flag", mplex(3, 7, utf8("x")));
  }

  @Test
  void writeIdentifySeeds() throws Exception {
    String c = "dev.weft.net.identify.IdentifyFuzzTest";
    String m = "identifyStream";
    PrivKey remote = FuzzFixtures.IDENTIFY_REMOTE;
    IdentifyProto.Identify full = IdentifyProto.Identify.newBuilder()
        .setProtocolVersion("ipfs/0.1.0").setAgentVersion("weft/0.1.0")
        .setPublicKey(ByteString.copyFrom(Keys.marshalPublicKey(remote.publicKey())))
        .addListenAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toBytes()))
        .setObservedAddr(ByteString.copyFrom(Multiaddr.parse("/ip4/10.0.0.1/tcp/5555").toBytes()))
        .addProtocols("/ipfs/id/1.0.0").addProtocols("/meshsub/1.1.0")
        .setSignedPeerRecord(ByteString.copyFrom(new PeerRecord(FuzzFixtures.IDENTIFY_REMOTE_ID, 1,
            List.of()).toEnvelope(remote).toBytes()))
        .build();
    // byte 0: bit 0 = push, the rest the read size
    seedWithTruncations(c, m, "full-identify", cat(new byte[] {0}, lp(full.toByteArray())));
    IdentifyProto.Identify part1 = full.toBuilder().clearProtocols().build();
    IdentifyProto.Identify part2 = IdentifyProto.Identify.newBuilder().addProtocols("/ipfs/ping/1.0.0").build();
    seed(c, m, "split-in-two", cat(new byte[] {8}, lp(part1.toByteArray()), lp(part2.toByteArray())));
    seed(c, m, "push-without-key", cat(new byte[] {1}, lp(part2.toByteArray())));
    IdentifyProto.Identify wrongKey = full.toBuilder().setPublicKey(ByteString.copyFrom(
        Keys.marshalPublicKey(Ed25519Keys.fromSeed(FuzzFixtures.filled(32, 6)).publicKey()))).build();
    seed(c, m, "key-of-another-peer", cat(new byte[] {0}, lp(wrongKey.toByteArray())));
    seed(c, m, "oversized-message", cat(new byte[] {0}, Varint.encode(8 * 1024 + 1),
        FuzzFixtures.filled(64, 0)));
    List<byte[]> eleven = new ArrayList<>();
    eleven.add(new byte[] {0});
    for (int i = 0; i < 11; i++) {
      eleven.add(lp(part2.toByteArray()));
    }
    seed(c, m, "eleven-messages", cat(eleven.toArray(byte[][]::new)));
  }

  @Test
  void writePingSeeds() throws Exception {
    String c = "dev.weft.net.ping.PingFuzzTest";
    String m = "pingAnswer";
    byte[] p = FuzzFixtures.PING_PAYLOAD;
    // byte 0 sets the read size
    seedWithTruncations(c, m, "exact-echo", cat(new byte[] {3}, p));
    byte[] wrong = p.clone();
    wrong[31] ^= 1;
    seed(c, m, "wrong-last-byte", cat(new byte[] {15}, wrong));
    seed(c, m, "echo-plus-extra", cat(new byte[] {6}, p, new byte[] {1}));
    seed(c, m, "echo-plus-extra-on-boundary", cat(new byte[] {0}, p, new byte[] {1}));
  }
}
