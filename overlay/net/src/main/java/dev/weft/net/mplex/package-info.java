/**
 * mplex ({@code /mplex/6.7.0}), the legacy stream multiplexer, kept only for old js peers; yamux
 * is preferred everywhere.
 *
 * <p>Differences from the spec and js: no flow control exists in mplex, so backpressure is the
 * channel's own writability; messages above 1 MiB and varints above 9 bytes close the connection
 * (js caps messages at 1 MiB too); our writes are split into 1 MiB messages. A NewStream over the
 * inbound limit is answered with ResetReceiver. The stream name sent with NewStream is the decimal
 * stream id, as js does; received names are ignored. Messages for unknown streams are dropped.
 */
package dev.weft.net.mplex;
