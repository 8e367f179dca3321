#!/usr/bin/env node
// One js-libp2p gossipsub node for weft's GossipSub benchmark (Java side: dev.weft.bench.e2e.GossipBench;
// the weft twin is dev.weft.bench.e2e.GossipBenchNode and speaks the same protocol).
//
// Every node is subscribed to one topic. Payloads start with the publisher's send time
// (process.hrtime.bigint(), CLOCK_MONOTONIC ns, big-endian u64, comparable with Java System.nanoTime());
// a receiver records publish-to-delivery latency in a log-bucket histogram (bucket = 1 + floor(ln(us)/ln(1.05))),
// so nothing per message crosses stdout.
//
// stdout: lines starting "@@ " are replies; stdin: one command per line:
//   dial <multiaddr>          -> "@@ ok dial"
//   mesh                      -> "@@ mesh <mesh size> <topic peers>"
//   run <rate/s> <ms> <size>  -> publish for <ms> at <rate>; then "@@ ok run <published> <failed>"
//   stats                     -> "@@ stats <received> <bucket:count,...>" and resets the counters
//   quit                      -> exits
import './shim.mjs'
import { createInterface } from 'node:readline'
import { log, parseArgs, buildNode } from './common.mjs'

const TOPIC = 'weft-bench'
const args = parseArgs(process.argv.slice(2))
const { multiaddr } = await import('@multiformats/multiaddr')
// --signaturePolicy StrictNoSign: unsigned messages, SHA-256-of-data message IDs (as the weft twin)
const { node } = await buildNode({
  topics: [TOPIC],
  emitData: false,
  connectionMonitor: false,
  ...(args.D != null ? { D: args.D } : {}),
  ...(args.signaturePolicy != null ? { signaturePolicy: args.signaturePolicy } : {})
})
const gs = node.services.pubsub
const LN = Math.log(1.05)

let received = 0
let hist = new Map()
gs.addEventListener('gossipsub:message', (evt) => {
  const now = process.hrtime.bigint()
  const data = evt.detail.msg.data
  if (data == null || data.length < 8) return
  const sent = Buffer.from(data.buffer, data.byteOffset, 8).readBigUInt64BE(0)
  const us = Number(now - sent) / 1000
  const b = us <= 1 ? 0 : 1 + Math.floor(Math.log(us) / LN)
  hist.set(b, (hist.get(b) ?? 0) + 1)
  received++
})
gs.subscribe(TOPIC)

function reply (s) { process.stdout.write('@@ ' + s + '\n') }

let seq = 0
function payload (size) {
  const buf = Buffer.alloc(Math.max(16, size))
  buf.writeBigUInt64BE(process.hrtime.bigint(), 0)
  buf.writeUInt32BE(process.pid, 8)
  buf.writeUInt32BE(seq++ >>> 0, 12)
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length)
}

function run (rate, ms, size) {
  return new Promise((resolve) => {
    let published = 0
    let failed = 0
    const start = process.hrtime.bigint()
    const total = Math.round(rate * ms / 1000)
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9
      const due = Math.min(total, Math.floor(rate * elapsed))
      while (published + failed < due) {
        gs.publish(TOPIC, payload(size)).catch(() => { failed++; published-- })
        published++
      }
      if (published + failed >= total) {
        clearInterval(timer)
        setTimeout(() => resolve([published, failed]), 0)
      }
    }
    const timer = setInterval(tick, 5)
  })
}

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', async (line) => {
  const [cmd, ...rest] = line.trim().split(/\s+/)
  try {
    if (cmd === 'dial') {
      await node.dial(multiaddr(rest[0]))
      reply('ok dial')
    } else if (cmd === 'mesh') {
      reply(`mesh ${gs.getMeshPeers(TOPIC).length} ${gs.getSubscribers(TOPIC).length}`)
    } else if (cmd === 'run') {
      const [p, f] = await run(Number(rest[0]), Number(rest[1]), Number(rest[2]))
      reply(`ok run ${p} ${f}`)
    } else if (cmd === 'stats') {
      const h = [...hist.entries()].map(([b, c]) => `${b}:${c}`).join(',')
      reply(`stats ${received} ${h === '' ? '-' : h}`)
      received = 0
      hist = new Map()
    } else if (cmd === 'quit') {
      await node.stop()
      process.exit(0)
    } else if (cmd !== '') {
      reply(`err unknown command ${cmd}`)
    }
  } catch (err) {
    log('command failed', err)
    reply(`err ${String(err?.message ?? err).replace(/\s+/g, ' ')}`)
  }
})
rl.on('close', async () => { await node.stop(); process.exit(0) })
reply(`ready ${node.peerId.toString()} ${node.getMultiaddrs()[0].toString()}`)
