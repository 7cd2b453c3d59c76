import type { History, LastScale } from './history-types.ts';

// A scale write recorded but never applied. An evaluation saves its history (the scale event and lastScale)
// before it PATCHes the scale, so that the event spending a policy budget is claimed under the store's version
// guard (src/pipeline/evaluate.ts). If the process dies between the two (a queue consumer killed mid-batch, a
// Lambda timeout), the history holds a scale event that never happened: it limits the next scale-up or -down
// until its policy period ends, and lastScale makes the next evaluation blame another writer.
//
// The saved lastScale names the scale it was written against (writtenAgainst: resourceVersion and replicas).
// Any write to the object changes its resourceVersion, the PATCH included, so while the scale still carries
// that exact resourceVersion the PATCH has not landed:
//   - once the write can no longer be in flight (`inFlightMs` after the history was saved: a live evaluation's
//     PATCH has been answered or given up by then), it never will land: its event is taken back and lastScale goes
//     back to the replicas the write was made against;
//   - before that, it may still be on its way from a live evaluation: the event stays (should it land, it
//     counts), but nobody else wrote either, so lastScale reads as the scale it was written against.
// If the resourceVersion moved, this stays conservative, as before: the event is kept. With the replicas at
// the recorded target the write landed (or another writer set the same count, which spends the same budget).
// With the replicas back at the count it was written against, the PATCH may have failed and Karmada's status
// controller bumped the resourceVersion (it rewrites the template's status whenever member status changes),
// or it may have landed and been undone by someone else; a resourceVersion is opaque (no order can be read
// from it), so the two cannot be told apart, and keeping an event that did happen is what keeps the policy
// rates: the next evaluation decides under its limit and reports another writer, as it always did.

export interface UnlandedWrite {
  /** When the write was recorded, epoch ms. */
  timestamp: number;
  /** The replicas it was made against, and its target. */
  from: number;
  to: number;
}

export interface SettledHistory {
  history: History;
  /** The write taken back (it never landed); absent when nothing was taken back. */
  unlanded?: UnlandedWrite;
}

/**
 * The history to decide from, given the scale as read now (`now` epoch ms). Pure: the history that comes in is
 * not changed.
 */
export function settleUnlandedScale(
  history: History,
  scale: { replicas: number; resourceVersion: string },
  now: number,
  inFlightMs: number,
): SettledHistory {
  const last = history.lastScale;
  const against = last?.writtenAgainst;
  if (!last || !against || against.resourceVersion !== scale.resourceVersion) return { history };
  const asRead: LastScale = { timestamp: last.timestamp, replicas: against.replicas };
  if (now - against.savedAt < inFlightMs) return { history: { ...history, lastScale: asRead } };
  const change = Math.abs(last.replicas - against.replicas);
  const list = last.replicas > against.replicas ? 'scaleUpEvents' : 'scaleDownEvents';
  const events = history[list];
  // The event recordScaleEvent stored for that write: at its time, of its size (the latest such, should two
  // match). An overwritten older slot (recordScaleEvent reuses one past the direction's longest policy
  // period) is not brought back: it no longer limited that direction, and counted only in the rare case the
  // other direction's period is longer.
  const index = events.findLastIndex((e) => e.timestamp === last.timestamp && e.replicaChange === change);
  return {
    history: {
      ...history,
      [list]: index < 0 ? events : events.filter((_, i) => i !== index),
      lastScale: asRead,
    },
    unlanded: { timestamp: last.timestamp, from: against.replicas, to: last.replicas },
  };
}
