/**
 * The pure half of health persistence: {@link dev.weft.health.persist.HealthSnapshot} (retained
 * scores and quarantine/ban records) and its versioned, checksummed binary codec {@link
 * dev.weft.health.persist.HealthSnapshotCodec}. Writing the bytes atomically to a file (temp file,
 * fsync, rename) belongs to the driver in net/cli; this package does no I/O.
 */
package dev.weft.health.persist;
