#!/usr/bin/env node
// One js-libp2p 3.x node per process, driven by JSON lines (weft interop harness; Java side: JsPeer).
//
// stdout: one JSON object per line, always with an "event" field. stderr: logs only.
// stdin : one JSON command per line: {"id": <any>, "cmd": "<name>", ...args}; every command gets exactly
//         one reply {"event":"result","id":<same>,"cmd":"<name>","ok":true,...} or {"ok":false,"error":"..."}.
// The process exits (code 0) on stdin EOF, on the "stop" command and on SIGTERM/SIGINT.
//
// Start options (one JSON argument, --opts=JSON, or --flags; see README.md for the full list).
import './shim.mjs'
import { createInterface } from 'node:readline'
import { randomBytes } from 'node:crypto'
import { emit, log, nowNs, parseArgs, buildNode, connInfo, toBytes, seqnoBytes } from './common.mjs'

const opts = parseArgs(process.argv.slice(2), ['listen', 'topics', 'ipColocationWhitelist', 'allow'])
delete opts._

const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

let node
let gs = null
let gsState = null
let effective = opts
let stopping = false
const emitData = opts.emitData !== false

process.on('unhandledRejection', (err) => {
  log('unhandled rejection', err)
  emit({ event: 'error', where: 'unhandledRejection', message: String(err?.message ?? err), t: nowNs() })
})

try {
  const built = await buildNode(opts)
  node = built.node
  gsState = built.gossipsubState
  effective = built.opts
  gs = node.services.pubsub ?? null
} catch (err) {
  log('failed to start', err)
  emit({ event: 'error', where: 'start', message: String(err?.message ?? err), t: nowNs() })
  process.exit(2)
}

// ---- events ----
node.addEventListener('connection:open', (evt) => {
  emit({ event: 'connection:open', ...connInfo(evt.detail), t: nowNs() })
})
node.addEventListener('connection:close', (evt) => {
  emit({ event: 'connection:close', ...connInfo(evt.detail), t: nowNs() })
})
node.addEventListener('peer:connect', (evt) => {
  emit({ event: 'peer:connect', peer: evt.detail.toString(), t: nowNs() })
})
node.addEventListener('peer:disconnect', (evt) => {
  emit({ event: 'peer:disconnect', peer: evt.detail.toString(), t: nowNs() })
})
node.addEventListener('peer:identify', (evt) => {
  const r = evt.detail
  emit({
    event: 'peer:identify',
    peer: r.peerId.toString(),
    connId: r.connection?.id ?? null,
    protocols: r.protocols ?? [],
    agentVersion: r.agentVersion ?? null,
    protocolVersion: r.protocolVersion ?? null,
    listenAddrs: (r.listenAddrs ?? []).map(String),
    observedAddr: r.observedAddr != null ? r.observedAddr.toString() : null,
    hasSignedPeerRecord: r.signedPeerRecord != null,
    t: nowNs()
  })
})

if (gs != null) {
  gs.addEventListener('gossipsub:message', (evt) => {
    const t = nowNs()
    const { propagationSource, msgId, msg } = evt.detail
    const data = msg.data ?? new Uint8Array(0)
    const out = {
      event: 'message',
      topic: msg.topic,
      from: msg.type === 'signed' ? msg.from.toString() : null,
      seqno: msg.type === 'signed' ? seqnoBytes(msg.sequenceNumber).toString('hex') : null,
      msgId,
      propagationSource: propagationSource.toString(),
      size: data.length,
      recvNs: t,
      t
    }
    if (emitData) {
      const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      out.dataBase64 = buf.toString('base64')
      try {
        out.data = new TextDecoder('utf-8', { fatal: true }).decode(data)
      } catch {
        out.data = null
      }
    }
    emit(out)
  })
  gs.addEventListener('subscription-change', (evt) => {
    emit({
      event: 'subscription-change',
      peer: evt.detail.peerId.toString(),
      subscriptions: evt.detail.subscriptions.map(s => ({ topic: s.topic, subscribe: s.subscribe })),
      t: nowNs()
    })
  })
  gs.addEventListener('gossipsub:graft', (evt) => {
    emit({ event: 'graft', peer: String(evt.detail.peerId), topic: evt.detail.topic, direction: evt.detail.direction, t: nowNs() })
  })
  gs.addEventListener('gossipsub:prune', (evt) => {
    emit({ event: 'prune', peer: String(evt.detail.peerId), topic: evt.detail.topic, direction: evt.detail.direction, t: nowNs() })
  })
  for (const topic of effective.topics ?? []) gs.subscribe(topic)
}

// optional periodic snapshot of connections and gossipsub state (option meshSnapshotMs)
if (Number(effective.meshSnapshotMs ?? 0) > 0) {
  const timer = setInterval(() => {
    const snap = { event: 'snapshot', connections: node.getConnections().length, t: nowNs() }
    if (gs != null) {
      snap.gossipPeers = gs.getPeers().length
      snap.mesh = Object.fromEntries(gs.getTopics().map(topic => [topic, gs.getMeshPeers(topic).map(String)]))
    }
    emit(snap)
  }, Number(effective.meshSnapshotMs))
  timer.unref()
}

// ---- helpers ----
function target (args) {
  if (args.addr != null) return multiaddr(args.addr)
  if (args.peer != null) return peerIdFromString(args.peer)
  throw new Error('need "peer" or "addr"')
}

function requirePubsub () {
  if (gs == null) throw new Error('gossipsub is disabled (start with gossipsub=true)')
  return gs
}

function decodePayload (args) {
  if (args.dataBase64 != null) return new Uint8Array(Buffer.from(args.dataBase64, 'base64'))
  if (args.dataHex != null) return new Uint8Array(Buffer.from(args.dataHex, 'hex'))
  if (args.data != null) return new TextEncoder().encode(String(args.data))
  if (args.size != null) return new Uint8Array(randomBytes(Number(args.size)))
  return new Uint8Array(0)
}

/** Our own ping: `count` 32-byte round trips on one /ipfs/ping/1.0.0 stream, timed with hrtime. */
async function pingPeer (args, signal) {
  const count = Math.max(1, Number(args.count ?? 1))
  const t0 = process.hrtime.bigint()
  const stream = await node.dialProtocol(target(args), '/ipfs/ping/1.0.0', { signal })
  const openMs = Number(process.hrtime.bigint() - t0) / 1e6
  const rtts = []
  try {
    let pending = null
    let received = Buffer.alloc(0)
    const onMessage = (evt) => {
      received = Buffer.concat([received, toBytes(evt.data)])
      if (pending != null && received.length >= 32) {
        const p = pending
        pending = null
        p.resolve()
      }
    }
    const onClose = () => { if (pending != null) pending.reject(new Error('ping stream closed before the echo arrived')) }
    stream.addEventListener('message', onMessage)
    stream.addEventListener('close', onClose)
    const onAbort = () => { if (pending != null) pending.reject(new Error('ping timed out')) }
    signal.addEventListener('abort', onAbort)
    for (let i = 0; i < count; i++) {
      const payload = randomBytes(32)
      pending = Promise.withResolvers()
      const done = pending.promise
      done.catch(() => {}) // rejections are observed by the await below, never unhandled
      const start = process.hrtime.bigint()
      if (!stream.send(payload)) await stream.onDrain({ signal })
      if (received.length >= 32) { pending = null } else { await done }
      const rtt = Number(process.hrtime.bigint() - start) / 1e6
      const echo = received.subarray(0, 32)
      received = received.subarray(32)
      if (!echo.equals(payload)) throw new Error('ping echo does not match the payload')
      rtts.push(rtt)
    }
    stream.removeEventListener('message', onMessage)
    stream.removeEventListener('close', onClose)
    signal.removeEventListener('abort', onAbort)
    await stream.close({ signal })
  } catch (err) {
    stream.abort(err)
    throw err
  }
  const res = { peer: args.peer ?? null, rttMs: rtts[0], rtts, openMs }
  if (args.service === true) {
    res.serviceRttMs = await node.services.ping.ping(target(args), { signal })
  }
  return res
}

function peerSummary () {
  const byPeer = new Map()
  for (const c of node.getConnections()) {
    const p = c.remotePeer.toString()
    if (!byPeer.has(p)) byPeer.set(p, [])
    byPeer.get(p).push({ ...connInfo(c), streams: c.streams.map(s => ({ id: s.id, protocol: s.protocol, direction: s.direction, status: s.status })) })
  }
  return [...byPeer.entries()].map(([peer, connections]) => ({ peer, connections }))
}

async function identifyInfo (args) {
  const peer = await node.peerStore.get(peerIdFromString(args.peer))
  const meta = (k) => peer.metadata.has(k) ? new TextDecoder().decode(peer.metadata.get(k)) : null
  return {
    peer: peer.id.toString(),
    protocols: peer.protocols,
    agentVersion: meta('AgentVersion'),
    protocolVersion: meta('ProtocolVersion'),
    addrs: peer.addresses.map(a => a.multiaddr.toString()),
    certifiedAddrs: peer.addresses.filter(a => a.isCertified).map(a => a.multiaddr.toString())
  }
}

let publishChain = Promise.resolve()

async function publish (args) {
  const pubsub = requirePubsub()
  const data = decodePayload(args)
  // publishes are serialised so that the message id captured by the msgIdFn wrapper is this one's
  const run = async () => {
    gsState.lastOwnMsgId = null
    gsState.lastOwnSeqno = null
    const sentNs = nowNs()
    const popts = {}
    if (args.allowPublishToZeroTopicPeers != null) popts.allowPublishToZeroTopicPeers = args.allowPublishToZeroTopicPeers
    if (args.ignoreDuplicatePublishError != null) popts.ignoreDuplicatePublishError = args.ignoreDuplicatePublishError
    const r = await pubsub.publish(String(args.topic), data, popts)
    const signed = pubsub.globalSignaturePolicy === 'StrictSign'
    // signed: captured by the msgIdFn wrapper (publishes are serialised); unsigned: a function of data
    const id = signed ? gsState.lastOwnMsgId : await gsState.msgIdFn({ type: 'unsigned', topic: String(args.topic), data })
    return {
      topic: String(args.topic),
      msgId: id != null ? Buffer.from(id).toString('hex') : null,
      seqno: signed && gsState.lastOwnSeqno != null ? seqnoBytes(gsState.lastOwnSeqno).toString('hex') : null,
      size: data.length,
      recipients: r.recipients.map(String),
      sentNs
    }
  }
  const p = publishChain.then(run, run)
  publishChain = p.catch(() => {})
  return p
}

function scores () {
  const pubsub = requirePubsub()
  const out = {}
  for (const p of pubsub.getPeers()) out[p.toString()] = pubsub.getScore(p.toString())
  const stats = {}
  try {
    for (const [peer, st] of Object.entries(pubsub.dumpPeerScoreStats())) {
      stats[peer] = { ...st, knownIPs: [...(st.knownIPs ?? [])] }
    }
  } catch (err) {
    log('dumpPeerScoreStats failed', err)
  }
  return { scores: out, stats }
}

// ---- commands ----
const commands = {
  info: async () => ({
    peerId: node.peerId.toString(),
    addrs: node.getMultiaddrs().map(String),
    protocols: node.getProtocols(),
    topics: gs != null ? gs.getTopics() : []
  }),
  dial: async (args, signal) => {
    const conn = await node.dial(target(args), { signal })
    return connInfo(conn)
  },
  hangup: async (args, signal) => {
    await node.hangUp(target(args), { signal })
    return {}
  },
  ping: async (args, signal) => {
    const res = await pingPeer(args, signal)
    emit({ event: 'ping', peer: res.peer ?? args.addr, rttMs: res.rttMs, rtts: res.rtts, t: nowNs() })
    return res
  },
  peers: async () => ({ peers: peerSummary() }),
  'identify-info': async (args) => identifyInfo(args),
  subscribe: async (args) => { requirePubsub().subscribe(String(args.topic)); return { topics: gs.getTopics() } },
  unsubscribe: async (args) => { requirePubsub().unsubscribe(String(args.topic)); return { topics: gs.getTopics() } },
  publish: async (args) => publish(args),
  mesh: async (args) => {
    const pubsub = requirePubsub()
    const topic = String(args.topic)
    const mesh = pubsub.getMeshPeers(topic).map(String)
    const subscribers = pubsub.getSubscribers(topic).map(String)
    emit({ event: 'mesh', topic, mesh, subscribers, t: nowNs() })
    return { topic, mesh, subscribers }
  },
  'gossip-peers': async () => ({ peers: requirePubsub().getPeers().map(String), topics: gs.getTopics() }),
  scores: async () => scores(),
  'set-validator': async (args) => {
    const pubsub = requirePubsub()
    const result = String(args.result ?? 'reject')
    if (!['accept', 'ignore', 'reject'].includes(result)) throw new Error(`result must be accept|ignore|reject, got ${result}`)
    const needle = args.dataContains != null ? String(args.dataContains) : null
    pubsub.topicValidators.set(String(args.topic), (_peer, msg) => {
      if (needle == null) return result
      return Buffer.from(msg.data ?? new Uint8Array(0)).toString('utf8').includes(needle) ? result : 'accept'
    })
    return { topic: String(args.topic), result, dataContains: needle }
  },
  'clear-validator': async (args) => {
    requirePubsub().topicValidators.delete(String(args.topic))
    return { topic: String(args.topic) }
  },
  stop: async () => ({})
}

async function handleLine (line) {
  line = line.trim()
  if (line === '') return
  let req
  try {
    req = JSON.parse(line)
  } catch (err) {
    emit({ event: 'error', where: 'stdin', message: `bad JSON: ${err.message}`, line })
    return
  }
  const id = req.id ?? null
  const cmd = req.cmd ?? req.command ?? req.op
  const fn = commands[cmd]
  if (fn == null) {
    emit({ event: 'result', id, cmd, ok: false, error: `unknown command ${cmd}` })
    return
  }
  const signal = AbortSignal.timeout(Number(req.timeoutMs ?? 20000))
  try {
    const res = await fn(req, signal)
    emit({ event: 'result', id, cmd, ok: true, ...res })
  } catch (err) {
    log(`command ${cmd} failed`, err)
    emit({ event: 'result', id, cmd, ok: false, error: String(err?.message ?? err), errorName: err?.name ?? null })
  }
  if (cmd === 'stop') await shutdown('stop command')
}

async function shutdown (why) {
  if (stopping) return
  stopping = true
  log(`stopping: ${why}`)
  const timer = setTimeout(() => { log('stop timed out'); process.exit(3) }, 5000)
  try {
    await node.stop()
  } catch (err) {
    log('error while stopping', err)
  }
  clearTimeout(timer)
  emit({ event: 'stopped', t: nowNs() })
  process.exit(0)
}

process.on('SIGTERM', () => { shutdown('SIGTERM') })
process.on('SIGINT', () => { shutdown('SIGINT') })

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
rl.on('line', (line) => { handleLine(line) })
rl.on('close', () => { shutdown('stdin closed') })

emit({
  event: 'ready',
  peerId: node.peerId.toString(),
  addrs: node.getMultiaddrs().map(String),
  protocols: node.getProtocols(),
  agentVersion: effective.agentVersion ?? null,
  muxers: String(effective.muxer).split(','),
  gossipsub: gs != null,
  msgId: gs != null ? effective.msgId : null,
  pid: process.pid,
  t: nowNs()
})
