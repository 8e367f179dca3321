// Node 20 lacks Promise.withResolvers (ES2024), which js-libp2p 3.x dependencies call at run
// time. This installs a behaviour-equivalent polyfill; on Node 22+ it does nothing.
// Must be evaluated before any libp2p module: import it first, then import libp2p dynamically.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers () {
      let resolve
      let reject
      const promise = new this((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  })
}
