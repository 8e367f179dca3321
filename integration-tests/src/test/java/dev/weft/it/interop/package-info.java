/**
 * Test-side harness for interoperability with js-libp2p 3.x.
 *
 * <p>{@link dev.weft.it.interop.JsPeer} runs one js-libp2p node per child process
 * ({@code src/test/js/peer.mjs}) and drives it over JSON lines on stdin/stdout: dial, ping,
 * identify lookups, gossipsub subscribe/publish/mesh/scores, with every node event (connections,
 * identify results, received messages with monotonic receive timestamps, grafts/prunes) available
 * to tests. {@link dev.weft.it.interop.JsProcess} is the generic process wrapper (also used for
 * {@code bulk.mjs}); {@link dev.weft.it.interop.NodeCheck} makes a missing Node.js or
 * {@code node_modules} a test failure with an explanation rather than a silent skip.
 *
 * <p>Differences from a stock js-libp2p node, all configurable per peer: gossipsub uses go's
 * message id ({@code from || seqno}) by default instead of js's ({@code key || seqno}), 127.0.0.1
 * is exempt from the IP-colocation score penalty, 127.0.0.0/8 is on the connection-manager allow
 * list, and publishing without topic peers is allowed. Node 20 gets a {@code Promise.withResolvers}
 * shim; the pinned package versions are in {@code src/test/js/package-lock.json}.
 */
package dev.weft.it.interop;
