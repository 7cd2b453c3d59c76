import type { EncodedHistory } from './history-codec.ts';

// The wording of what both stores report through onWarning, kept in one place so the embedded store and the
// DynamoDB store (and their shared contract tests) say exactly the same thing.

export const ignoredMessage = (key: string, problem: string) =>
  `stored history of ${key} ${problem}; starting from an empty history, the next save replaces it`;

/** Reports entries the codec's cap dropped: the engine should have pruned them to its longest window. */
export function reportCap(key: string, encoded: EncodedHistory, onWarning: (message: string) => void): void {
  const dropped = Object.entries(encoded.dropped).filter(([, n]) => n > 0);
  if (dropped.length === 0) return;
  const what = dropped.map(([list, n]) => `${n} oldest ${list}`).join(', ');
  onWarning(`history of ${key} exceeded the per-list cap; dropped ${what}`);
}
