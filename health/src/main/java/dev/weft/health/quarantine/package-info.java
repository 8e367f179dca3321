/**
 * The quarantine state machine ({@link dev.weft.health.quarantine.HealthState}, {@link
 * dev.weft.health.quarantine.Transition}, {@link dev.weft.health.quarantine.QuarantinePolicy}) and
 * {@link dev.weft.health.quarantine.HealthMonitor}, which ties the v1.1 score, the extra signals
 * and the state machine together and answers operators ({@code list}, {@code explain}, {@code
 * release}, {@code ban}).
 *
 * <p>Not in the spec or in go/js: they only have the score and its thresholds. Here a peer is
 * isolated only on misbehaviour evidence, every change is a {@link
 * dev.weft.health.quarantine.Transition} with a reason and a time, repeat offenders are banned
 * with doubling bans, and isolation reaches the router through the score ({@link
 * dev.weft.health.quarantine.HealthMonitor#ISOLATED_SCORE}).
 */
package dev.weft.health.quarantine;
