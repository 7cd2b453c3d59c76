import type { CronFederatedHPA } from '../api/cronfederatedhpa.ts';
import type { DueRule } from './plan-run.ts';

// Karmada runs every rule in its own goroutine (one gocron scheduler per rule), so two rules that fire
// at the same instant for one target race and either may win. fhpa runs due rules one after another in
// a fixed order, and the last write wins:
//   1. older schedule instants first, so the most recent intent is applied last;
//   2. at the same instant, CronFederatedHPAs by namespace, then name;
//   3. within one CronFederatedHPA, rules in spec order (a later rule overrides an earlier one).

export interface PlannedRun {
  cron: CronFederatedHPA;
  due: DueRule;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy of `runs`, in the order they should execute. */
export function orderDueRuns(runs: PlannedRun[]): PlannedRun[] {
  return [...runs].sort(
    (a, b) =>
      Date.parse(a.due.scheduleTime) - Date.parse(b.due.scheduleTime) ||
      compare(a.cron.metadata.namespace ?? '', b.cron.metadata.namespace ?? '') ||
      compare(a.cron.metadata.name ?? '', b.cron.metadata.name ?? '') ||
      a.due.ruleIndex - b.due.ruleIndex,
  );
}
