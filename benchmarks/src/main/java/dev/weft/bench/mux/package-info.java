/** JMH benchmarks of the stream multiplexers (yamux framing throughput in memory). */
package dev.weft.bench.mux;
