// `fhpa recommend [FILE|-]`: the offline decision. Reads one snapshot (or a JSON array of snapshots) and prints
// the decision the live pipeline would make from the same data, as JSON. Exit 0 with a decision; exit 2 with
// `field.path: message` lines when a snapshot is invalid, or a message when the input cannot be read or parsed.

import { parseAnnotations } from '../api/annotations.ts';
import { parseSnapshot, type Snapshot, snapshotToEngineInput } from '../api/snapshot.ts';
import { historyJson } from '../api/snapshot-of.ts';
import type { Decision } from '../engine/types.ts';
import { decideWithAnnotations } from '../pipeline/decision.ts';
import { snapshotTargetErrors } from '../validation/snapshot-target.ts';
import { argumentError, type Command, readInput } from './io.ts';

export const RECOMMEND_USAGE = `Usage: fhpa recommend [FILE|-]

Decide the desired replica count of one FederatedHPA from a snapshot, exactly as the live pipeline would,
and print the decision as JSON. FILE holds one snapshot or a JSON array of snapshots (answered with an
array in the same order); without FILE, or with -, the snapshot is read from standard input.

A snapshot: { now, federatedHPA (FederatedHPA, or autoscaling/v2 or v1 HorizontalPodAutoscaler),
currentReplicas, statusReplicas?, calibration?, pods, metrics?, history?, options? }.
A PromQL metric's result is its metrics.object sample (or metrics.errors entry); the FederatedHPA's
scale-to-zero annotations and history.idleSince replay going to and waking from zero.
See examples/snapshot-*.json.

Exit status: 0 with a decision, 2 when the input is unreadable, not JSON, or not a valid snapshot
(each problem printed as field.path: message).`;

export const recommend: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(RECOMMEND_USAGE);
    return 0;
  }
  const unknown = args.filter((a) => a.startsWith('-') && a !== '-');
  if (unknown.length > 0 || args.length > 1) {
    return argumentError(
      io,
      'recommend',
      unknown.length > 0 ? `unknown option ${unknown[0]}` : 'expected at most one FILE',
    );
  }
  const file = args[0];
  const source = file === undefined || file === '-' ? 'standard input' : file;

  let text: string;
  try {
    text = await readInput(io, file);
  } catch (err) {
    io.err(`fhpa recommend: cannot read ${source}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    io.err(`fhpa recommend: ${source} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  const batch = Array.isArray(json);
  const items: unknown[] = batch ? (json as unknown[]) : [json];
  const snapshots: Snapshot[] = [];
  const errors: string[] = [];
  items.forEach((item, i) => {
    const prefix = batch ? `[${i}]` : '';
    const parsed = parseSnapshot(item, prefix);
    if (!parsed.ok) errors.push(...parsed.errors);
    else {
      // The same rules as `fhpa validate`: a spec Karmada would refuse gets no decision.
      const refused = snapshotTargetErrors(parsed.snapshot.federatedHPA, prefix && `${prefix}.`);
      if (refused.length === 0) snapshots.push(parsed.snapshot);
      else errors.push(...refused);
    }
  });
  if (errors.length > 0) {
    io.err(errors.join('\n'));
    return 2;
  }

  // As the pipeline decides: the HPA algorithm, then fhpa's fallback annotation (its count in history).
  const decisions = snapshots.map((s) =>
    renderDecision(
      decideWithAnnotations(
        snapshotToEngineInput(s),
        parseAnnotations(s.federatedHPA.metadata.annotations).settings,
      ).decision,
    ),
  );
  io.out(JSON.stringify(batch ? decisions : decisions[0], null, 2));
  return 0;
};

/** The decision as JSON: history times as RFC 3339 (milliseconds only when present), as a snapshot takes them. */
export function renderDecision(d: Decision) {
  const time = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { ...d, history: historyJson(d.history, time) };
}
