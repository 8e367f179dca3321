/**
 * GossipSub wire data in domain form: {@link dev.weft.core.wire.Rpc}, {@link
 * dev.weft.core.wire.SubOpts}, {@link dev.weft.core.wire.PubMessage}, {@link
 * dev.weft.core.wire.ControlMessage} (IHAVE, IWANT, GRAFT, PRUNE with PX and backoff, IDONTWANT),
 * {@link dev.weft.core.wire.PeerInfo} and {@link dev.weft.core.wire.MessageId}; plus the pure
 * byte-level pieces the router needs: exact encoded sizes and an encoder ({@link
 * dev.weft.core.wire.GossipProto}), RPC splitting ({@link dev.weft.core.wire.RpcSplitter}), the
 * StrictSign signing bytes ({@link dev.weft.core.wire.SigningBytes}), message-ID functions, and
 * the signing/verification SPIs implemented by {@code dev.weft.net}.
 *
 * <p>How this differs from the spec and from go/js:
 *
 * <ul>
 *   <li>No protobuf classes: the net codec converts protobuf to these records in one place. The
 *       hand-rolled encoder writes fields in ascending order with minimal varints, so sizes and
 *       signing bytes equal what go, js and protobuf-java produce.
 *   <li>Message IDs are bytes ({@link dev.weft.core.wire.MessageId}), never strings (go declares
 *       them {@code string} but sends arbitrary bytes).
 *   <li>Signing bytes exclude both {@code signature} and {@code key}, as go and js do (the spec
 *       text only mentions {@code signature}).
 *   <li>v1.3 extensions and go's partial-messages fields are not modelled; a decoder must skip
 *       them as unknown fields.
 *   <li>Absent optional fields are {@code null}, not empty arrays: StrictNoSign rejects a present
 *       but empty {@code from}.
 * </ul>
 */
package dev.weft.core.wire;
