#!/usr/bin/env node
// Bulk-throughput benchmark over one libp2p stream, protocol /weft/bench/1.0.0:
//   dialer  : opens a stream, writes N MiB in chunks (default 64 KiB), half-closes its write side,
//             then reads the listener's reply;
//   listener: reads and discards everything, counting bytes; when the dialer has half-closed it
//             writes the count as an 8-byte big-endian unsigned integer and closes.
// The dialer's clock runs from just before the first write until the reply has arrived, so every
// byte has been delivered to the listener when it stops.
//
// Modes (stdout: JSON lines only; logs on stderr):
//   node bulk.mjs [pair] --mib 64 [--muxer yamux|mplex] [--chunkKiB 64]
//       two js nodes in this one process, js -> js; prints
//       {"mode":"pair","bytes":..,"seconds":..,"mibPerSec":..,"muxer":..}
//   node bulk.mjs sink [--listen /ip4/127.0.0.1/tcp/0] [--count N] [--muxer ..] [--seed ..]
//       listener only (a Java dialer streams to it); prints {"event":"ready","peerId":..,"addrs":[..]}
//       then one {"event":"bulk","mode":"sink","peer":..,"bytes":..,"seconds":..,"mibPerSec":..} per
//       finished stream (seconds from the first byte to the dialer's half-close). Exits after N
//       streams if --count is given, on SIGTERM/SIGINT, or on EOF when stdin is a pipe.
//   node bulk.mjs source --addr <multiaddr with /p2p/..> --mib 64 [--muxer ..] [--chunkKiB 64]
//       dialer only (js -> Java listener); prints {"mode":"source","bytes":..,"seconds":..,"mibPerSec":..,"ackBytes":..}
//       and exits 0, or exits 1 with {"event":"error",...} if the reply does not match.
import './shim.mjs'
import { fstatSync } from 'node:fs'
import { emit, log, parseArgs, buildNode, toBytes } from './common.mjs'

export const BENCH_PROTOCOL = '/weft/bench/1.0.0'
const MiB = 1024 * 1024

const args = parseArgs(process.argv.slice(2), ['listen'])
const mode = args._[0] ?? 'pair'
const mib = Number(args.mib ?? 64)
const chunkBytes = Math.max(1, Math.round(Number(args.chunkKiB ?? 64) * 1024))
const nodeOpts = {
  gossipsub: false,
  muxer: args.muxer ?? 'yamux',
  ...(args.listen != null ? { listen: args.listen } : {}),
  ...(args.seed != null ? { seed: args.seed } : {}),
  ...(args.connectionMonitor != null ? { connectionMonitor: args.connectionMonitor } : {})
}

function secondsSince (start) {
  return Number(process.hrtime.bigint() - start) / 1e9
}

function result (extra, bytes, seconds) {
  return { ...extra, bytes, seconds, mibPerSec: seconds > 0 ? (bytes / MiB) / seconds : null }
}

/** Registers the discard-and-count handler; calls onDone({peer, bytes, seconds}) per stream. */
async function registerSink (node, onDone) {
  await node.handle(BENCH_PROTOCOL, async (stream, connection) => {
    let bytes = 0
    let start = null
    try {
      for await (const chunk of stream) {
        if (start === null) start = process.hrtime.bigint()
        bytes += chunk.byteLength
      }
      const seconds = start === null ? 0 : secondsSince(start)
      const reply = Buffer.alloc(8)
      reply.writeBigUInt64BE(BigInt(bytes))
      if (!stream.send(reply)) await stream.onDrain()
      await stream.close()
      onDone({ peer: connection.remotePeer.toString(), bytes, seconds })
    } catch (err) {
      log('sink stream failed', err)
      stream.abort(err)
      emit({ event: 'error', where: 'sink', message: String(err?.message ?? err), bytes })
    }
  }, { maxInboundStreams: 64 })
}

/** Streams `totalBytes` to `target` and waits for the count reply. */
async function runSource (node, target, totalBytes) {
  const stream = await node.dialProtocol(target, BENCH_PROTOCOL)
  const chunk = new Uint8Array(chunkBytes)
  for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff
  const start = process.hrtime.bigint()
  let sent = 0
  while (sent < totalBytes) {
    const n = Math.min(chunkBytes, totalBytes - sent)
    if (!stream.send(n === chunkBytes ? chunk : chunk.subarray(0, n))) await stream.onDrain()
    sent += n
  }
  await stream.close()
  let reply = Buffer.alloc(0)
  for await (const data of stream) {
    reply = Buffer.concat([reply, toBytes(data)])
  }
  const seconds = secondsSince(start)
  if (reply.length !== 8) throw new Error(`expected an 8-byte count reply, got ${reply.length} bytes`)
  const ackBytes = Number(reply.readBigUInt64BE(0))
  return { bytes: sent, seconds, ackBytes }
}

async function main () {
  if (mode === 'pair') {
    const { node: listener } = await buildNode(nodeOpts)
    const { node: dialer } = await buildNode({ ...nodeOpts, listen: [] })
    await registerSink(listener, () => {})
    const r = await runSource(dialer, listener.getMultiaddrs()[0], Math.round(mib * MiB))
    if (r.ackBytes !== r.bytes) throw new Error(`listener counted ${r.ackBytes} bytes, sent ${r.bytes}`)
    emit(result({ mode: 'pair', muxer: nodeOpts.muxer, chunkBytes }, r.bytes, r.seconds))
    await Promise.allSettled([dialer.stop(), listener.stop()])
    process.exit(0)
  } else if (mode === 'sink') {
    const { node } = await buildNode(nodeOpts)
    const count = args.count != null ? Number(args.count) : null
    let done = 0
    const stop = async (why) => {
      log(`sink stopping: ${why}`)
      await node.stop().catch(() => {})
      process.exit(0)
    }
    await registerSink(node, (r) => {
      emit({ event: 'bulk', ...result({ mode: 'sink', peer: r.peer, muxer: nodeOpts.muxer }, r.bytes, r.seconds) })
      done++
      if (count != null && done >= count) stop(`${done} transfer(s) done`)
    })
    process.on('SIGTERM', () => stop('SIGTERM'))
    process.on('SIGINT', () => stop('SIGINT'))
    // a parent that talks to us through a pipe (JsProcess in Java) ends us by closing it; an
    // interactive or backgrounded run (stdin a terminal or /dev/null) is ended by signal or --count
    const stdinStat = fstatSync(0)
    if (stdinStat.isFIFO() || stdinStat.isSocket()) {
      process.stdin.on('end', () => stop('stdin closed'))
      process.stdin.resume()
    }
    emit({ event: 'ready', peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String), protocol: BENCH_PROTOCOL, pid: process.pid })
  } else if (mode === 'source') {
    if (args.addr == null) throw new Error('source mode needs --addr <multiaddr with /p2p/...>')
    const { multiaddr } = await import('@multiformats/multiaddr')
    const { node } = await buildNode({ ...nodeOpts, listen: [] })
    const r = await runSource(node, multiaddr(String(args.addr)), Math.round(mib * MiB))
    const out = result({ mode: 'source', muxer: nodeOpts.muxer, chunkBytes, ackBytes: r.ackBytes }, r.bytes, r.seconds)
    await node.stop().catch(() => {})
    if (r.ackBytes !== r.bytes) {
      emit({ event: 'error', where: 'source', message: `listener counted ${r.ackBytes} bytes, sent ${r.bytes}`, ...out })
      process.exit(1)
    }
    emit(out)
    process.exit(0)
  } else {
    throw new Error(`unknown mode ${mode} (pair|sink|source)`)
  }
}

main().catch((err) => {
  log('bulk failed', err)
  emit({ event: 'error', where: mode, message: String(err?.message ?? err) })
  process.exit(1)
})
