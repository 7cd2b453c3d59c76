// `fhpa explain` on a PromQL-bound metric and a FederatedHPA that scales to zero: the query the value came
// from, and where the idle clock stands, read off the same engine input and decision recommend replays.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, snapshotToEngineInput } from '../../src/api/snapshot.ts';
import { explain, renderExplanation } from '../../src/cli/explanation.ts';

const snapshot = () => JSON.parse(readFileSync('examples/snapshot-scale-to-zero.json', 'utf8'));

function explained(s: unknown) {
  const parsed = parseSnapshot(s);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const fhpa = parsed.snapshot.federatedHPA;
  return explain(snapshotToEngineInput(parsed.snapshot), 'default/web', fhpa.metadata.annotations);
}

describe('fhpa explain with PromQL and scale to zero', () => {
  it('names the query, the idle time and the event of going to zero', () => {
    const e = explained(snapshot());
    expect(e.metrics[0]).toMatchObject({
      metric: 'Object http_requests',
      source: 'PromQL on "default": sum(rate(http_requests_total{app="web"}[2m]))',
      current: '25m average',
    });
    expect(e.scaleToZero).toEqual({
      after: '10m0s',
      above: [],
      unreadable: [],
      idleSince: '2026-01-01T00:49:30Z',
      zeroFrom: '2026-01-01T00:59:30Z',
      event: 'ScaledToZero',
    });
    const text = renderExplanation(e);
    expect(text).toContain('default/web at 2026-01-01T01:00:00Z: scale 2 -> 0');
    expect(text).toContain(
      'scale to zero (after 10m0s idle): idle since 2026-01-01T00:49:30Z; zero allowed from 2026-01-01T00:59:30Z; records ScaledToZero',
    );
  });

  it('says what keeps it awake', () => {
    const s = snapshot();
    s.metrics.object.http_requests.value = '3';
    const text = renderExplanation(explained(s));
    expect(text).toContain(
      'scale to zero (after 10m0s idle): active: Object metric http_requests above its activation threshold 100m',
    );
  });
});
