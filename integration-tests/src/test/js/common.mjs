// Shared helpers for peer.mjs and bulk.mjs: option parsing, node construction, JSON-lines output.
// Import './shim.mjs' BEFORE this module (it loads libp2p lazily through buildNode()).
import { createHash } from 'node:crypto'

/** Monotonic clock in ns as a decimal string (CLOCK_MONOTONIC, comparable with Java System.nanoTime()). */
export function nowNs () {
  return process.hrtime.bigint().toString()
}

/** Writes one JSON object as one line on stdout (the only thing that ever goes to stdout). */
export function emit (obj) {
  process.stdout.write(JSON.stringify(obj, jsonReplacer) + '\n')
}

/** Logs to stderr (never stdout). */
export function log (...args) {
  process.stderr.write(`[${process.argv[1]?.split('/').pop() ?? 'js'} ${process.pid}] ${args.map(a => typeof a === 'string' ? a : (a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a, jsonReplacer))).join(' ')}\n`)
}

function jsonReplacer (_key, value) {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Set) return [...value]
  if (value instanceof Map) return Object.fromEntries(value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  return value
}

/**
 * Parses command-line options. Accepted forms (later ones override earlier ones):
 *   node x.mjs '{"muxer":"mplex"}'          one JSON object argument
 *   node x.mjs --opts='{"muxer":"mplex"}'   same, as a flag
 *   node x.mjs --muxer mplex --gossipsub=false --topics a,b --D 8
 * Flag values: "true"/"false" become booleans, numeric strings numbers, JSON objects/arrays are parsed;
 * for keys in `listKeys`, comma-separated values become arrays. A bare word is returned in `_`.
 */
export function parseArgs (argv, listKeys = []) {
  const out = { _: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('{')) {
      Object.assign(out, JSON.parse(a))
      continue
    }
    if (!a.startsWith('--')) {
      out._.push(a)
      continue
    }
    let key = a.slice(2)
    let value
    const eq = key.indexOf('=')
    if (eq >= 0) {
      value = key.slice(eq + 1)
      key = key.slice(0, eq)
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      value = argv[++i]
    } else {
      value = 'true'
    }
    if (key === 'opts') {
      Object.assign(out, JSON.parse(value))
      continue
    }
    out[key] = coerce(value, listKeys.includes(key))
  }
  return out
}

function coerce (value, asList) {
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^-?\d+(\.\d+)?$/.test(value) && value.length < 16) return Number(value)
  if (value.startsWith('[') || value.startsWith('{')) return JSON.parse(value)
  if (asList) return value === '' ? [] : value.split(',')
  return value
}

/**
 * Turns the `seed` option into 32 seed bytes for an Ed25519 key:
 * - 64 hex characters: used as is;
 * - an integer n: the gossipsub-interop convention (n little-endian in the first 4 bytes, rest zero).
 */
export function seedBytes (seed) {
  if (seed == null) return null
  if (typeof seed === 'number' || /^\d+$/.test(String(seed))) {
    const b = Buffer.alloc(32)
    b.writeUInt32LE(Number(seed) >>> 0, 0)
    return new Uint8Array(b)
  }
  const hex = String(seed)
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`seed must be 64 hex chars or an integer, got ${hex}`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** Converts a Uint8Array | Uint8ArrayList to a Uint8Array without copying when possible. */
export function toBytes (data) {
  return data instanceof Uint8Array ? data : data.subarray()
}

/** 8-byte big-endian encoding of a bigint sequence number. */
export function seqnoBytes (seqno) {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(seqno)))
  return b
}

/**
 * Builds a gossipsub message-id function.
 * - 'go'  : from (peer-ID multihash bytes) || seqno (8 bytes)   = go-libp2p-pubsub default
 * - 'js'  : PublicKey protobuf(author) || seqno                  = @libp2p/gossipsub StrictSign default
 * - 'hash': SHA-256(data)                                        = @libp2p/gossipsub StrictNoSign default
 * Unsigned messages always use 'hash'.
 */
export function makeMsgIdFn (kind, publicKeyToProtobuf) {
  const hash = (msg) => new Uint8Array(createHash('sha256').update(msg.data ?? new Uint8Array(0)).digest())
  if (kind === 'hash') return hash
  if (kind !== 'go' && kind !== 'js') throw new Error(`unknown msgId kind ${kind} (go|js|hash)`)
  return (msg) => {
    if (msg.type !== 'signed') return hash(msg)
    const seq = seqnoBytes(msg.sequenceNumber)
    const head = kind === 'go'
      ? msg.from.toMultihash().bytes
      : publicKeyToProtobuf(msg.from.publicKey ?? msg.key)
    const id = new Uint8Array(head.length + 8)
    id.set(head, 0)
    id.set(seq, head.length)
    return id
  }
}

export const LOOPBACK_ALLOW = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128']

/**
 * Creates (and starts) a js-libp2p 3.x node over TCP + Noise with the given options
 * (see peer.mjs for the full list). Returns { node, opts } where opts are the effective options.
 * Extra services can be supplied with `extraServices`.
 */
export async function buildNode (options = {}, hooks = {}) {
  const { createLibp2p } = await import('libp2p')
  const { tcp } = await import('@libp2p/tcp')
  const { noise } = await import('@chainsafe/libp2p-noise')
  const { yamux } = await import('@chainsafe/libp2p-yamux')
  const { identify, identifyPush } = await import('@libp2p/identify')
  const { ping } = await import('@libp2p/ping')
  const keys = await import('@libp2p/crypto/keys')

  const opts = {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    muxer: 'yamux',
    gossipsub: true,
    topics: [],
    allowPublishToZeroTopicPeers: true,
    ipColocationWhitelist: ['127.0.0.1'],
    allow: LOOPBACK_ALLOW,
    connectionMonitor: true,
    abortConnectionOnPingFailure: true,
    ...options
  }
  if (opts.msgId == null) opts.msgId = opts.signaturePolicy === 'StrictNoSign' ? 'hash' : 'go'
  if (typeof opts.listen === 'string') opts.listen = opts.listen === '' ? [] : opts.listen.split(',')
  if (typeof opts.topics === 'string') opts.topics = opts.topics === '' ? [] : opts.topics.split(',')
  if (typeof opts.ipColocationWhitelist === 'string') opts.ipColocationWhitelist = opts.ipColocationWhitelist === '' ? [] : opts.ipColocationWhitelist.split(',')
  if (typeof opts.allow === 'string') opts.allow = opts.allow === '' ? [] : opts.allow.split(',')

  const muxers = []
  const muxerNames = String(opts.muxer).split(',')
  for (const m of muxerNames) {
    if (m === 'yamux') muxers.push(yamux())
    else if (m === 'mplex') {
      const { mplex } = await import('@libp2p/mplex')
      muxers.push(mplex())
    } else throw new Error(`unknown muxer ${m} (yamux|mplex|yamux,mplex|mplex,yamux)`)
  }

  const seed = seedBytes(opts.seed)
  const privateKey = seed != null
    ? await keys.generateKeyPairFromSeed('Ed25519', seed)
    : await keys.generateKeyPair('Ed25519')

  const services = {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping()
  }
  let gossipsubState = null
  if (opts.gossipsub) {
    const { gossipsub } = await import('@libp2p/gossipsub')
    gossipsubState = { lastOwnMsgId: null, lastOwnSeqno: null }
    const selfId = { value: null }
    const baseIdFn = makeMsgIdFn(opts.msgId, keys.publicKeyToProtobuf)
    // Wrapper: remembers the id of our own latest message so that `publish` can report it.
    // (signed messages only: their author is known exactly; unsigned ids are recomputed by the caller)
    const msgIdFn = (msg) => {
      const id = baseIdFn(msg)
      if (msg.type === 'signed' && selfId.value != null && msg.from.equals(selfId.value)) {
        gossipsubState.lastOwnMsgId = id
        gossipsubState.lastOwnSeqno = msg.sequenceNumber
      }
      return id
    }
    gossipsubState.msgIdFn = baseIdFn
    gossipsubState.selfId = selfId
    const scoreParams = { ...(opts.scoreParams ?? {}) }
    scoreParams.IPColocationFactorWhitelist = new Set(opts.ipColocationWhitelist ?? [])
    const gsInit = {
      allowPublishToZeroTopicPeers: opts.allowPublishToZeroTopicPeers,
      msgIdFn,
      msgIdToStrFn: (id) => Buffer.from(id).toString('hex'),
      scoreParams,
      ...(opts.scoreThresholds != null ? { scoreThresholds: opts.scoreThresholds } : {}),
      ...(opts.signaturePolicy != null ? { globalSignaturePolicy: opts.signaturePolicy } : {}),
      ...(opts.gossipsubOpts ?? {})
    }
    for (const k of ['D', 'Dlo', 'Dhi', 'Dscore', 'Dout', 'Dlazy', 'heartbeatInterval', 'fanoutTTL', 'mcacheLength',
      'mcacheGossip', 'seenTTL', 'floodPublish', 'doPX', 'fallbackToFloodsub', 'emitSelf', 'idontwantMinDataSize',
      'idontwantMaxMessages', 'batchPublish', 'gossipFactor', 'pruneBackoff', 'maxInboundDataLength']) {
      if (opts[k] != null) gsInit[k] = opts[k]
    }
    services.pubsub = gossipsub(gsInit)
  }
  Object.assign(services, hooks.extraServices ?? {})

  const init = {
    privateKey,
    addresses: { listen: opts.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: muxers,
    services,
    connectionManager: {
      allow: opts.allow,
      ...(opts.maxConnections != null ? { maxConnections: opts.maxConnections } : {}),
      ...(opts.connectionManager ?? {})
    },
    connectionMonitor: {
      enabled: opts.connectionMonitor !== false,
      abortConnectionOnPingFailure: opts.abortConnectionOnPingFailure !== false,
      ...(opts.pingIntervalMs != null ? { pingInterval: opts.pingIntervalMs } : {})
    }
  }
  if (opts.agentVersion != null) init.nodeInfo = { userAgent: String(opts.agentVersion) }

  const node = await createLibp2p(init)
  if (gossipsubState != null) gossipsubState.selfId.value = node.peerId
  return { node, opts, gossipsubState, keys }
}

/** A connection as a plain JSON object. */
export function connInfo (conn) {
  return {
    peer: conn.remotePeer.toString(),
    connId: conn.id,
    direction: conn.direction,
    muxer: conn.multiplexer ?? null,
    encryption: conn.encryption ?? null,
    remoteAddr: conn.remoteAddr.toString(),
    status: conn.status
  }
}
