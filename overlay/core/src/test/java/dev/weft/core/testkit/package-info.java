/**
 * Test fixtures: {@link dev.weft.core.testkit.TestNetwork} runs several NodeCores over an
 * in-memory network in virtual time (seeded latencies, FIFO links, no threads or sleeps), with
 * deterministic fake identities ({@link dev.weft.core.testkit.TestKeys}) and a text trace of
 * overlay events ({@link dev.weft.core.testkit.TraceEvents}) for assertions and determinism checks.
 * A much smaller cousin of the simulator: no bandwidth, loss or faults beyond disconnects.
 */
package dev.weft.core.testkit;
