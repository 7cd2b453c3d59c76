// `npm run demo` (issue 7): the seed walkthrough (shared/seeds/000, Karmada's "FederatedHPA scaling on custom
// metrics") end to end over loopback HTTP, on simulated time. The seed's outcome: under `hey -c 1000 -z 1m`
// the FederatedHPA scales sample-app to its maximum of 10, divided 5 + 5 over member1 and member2 by the
// static weights 1:1, and back to 1 once the load stops.
import { describe, expect, it } from 'vitest';
import { demo } from '../../src/cli/demo.ts';
import { memoryIO } from '../support/memory-io.ts';

describe('fhpa demo', () => {
  it('reproduces the walkthrough: 10 replicas, 5 per cluster, back to 1, and says how it got there', async () => {
    const { io, out, err, written } = memoryIO();
    const code = await demo(['--chart', 'demo.svg'], io);
    expect(err.filter((l) => !l.startsWith('chart written'))).toEqual([]);
    expect(code).toBe(0);
    const summary = JSON.parse(out.at(-1) ?? '');
    expect(summary).toMatchObject({
      peakReplicas: 10,
      peakByCluster: { member1: 5, member2: 5 },
      peakReady: 10,
      finalReplicas: 1,
    });
    // The load starts at 20 s: the alert fires at the next rule evaluation; the 10 s scale-up window and the
    // default scale-up policy (+4 pods or +100 % per 15 s) need two steps to 10, then pods take 5 s to be ready.
    expect(summary.secondsToPeak).toBeGreaterThan(0);
    expect(summary.secondsToPeak).toBeLessThanOrEqual(45);
    // Down within one 15 s sweep of the 10 s scale-down window expiring, after the load stops at 80 s.
    expect(summary.secondsToFinal).toBeGreaterThan(0);
    expect(summary.secondsToFinal).toBeLessThanOrEqual(30);
    expect(summary.alertsSent).toBeGreaterThanOrEqual(2);

    const text = out.join('\n');
    // The FederatedHPA went through the admission webhook, and its warnings were shown.
    expect(text).toContain('applied FederatedHPA default/sample-app: allowed by POST /validate-federatedhpa');
    expect(text).toContain('warning: spec.metrics[0].pods.target.type is "Value"');
    // Alertmanager's notifications reached POST /alerts and were accepted.
    expect(text).toMatch(/alert {5}SampleAppHttpRequestsAboveTarget firing -> POST \/alerts 200/);
    expect(text).toMatch(/alert {5}SampleAppHttpRequestsAboveTarget resolved -> POST \/alerts 200/);
    // Every rescale carries the SuccessfulRescale event's message, as `kubectl describe` shows it.
    expect(text).toContain(
      'rescale   5 -> 10  (New size: 10; reason: pods metric http_requests above target)',
    );
    expect(text).toMatch(/rescale {3}10 -> 1 {2}\(New size: 1; reason: All metrics below target\)/);
    expect(text).toContain('ready/pods: member1 5/5  member2 5/5');

    const svg = written['demo.svg'] ?? '';
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['member1', 'member2', 'desired', 'target 700m']) expect(svg).toContain(label);
  });

  it('refuses unknown options with the usage, exit 2', async () => {
    const { io, err } = memoryIO();
    expect(await demo(['--fast'], io)).toBe(2);
    expect(err.join('\n')).toContain("Unknown option '--fast'");
    expect(await demo(['--seconds', '5'], io)).toBe(2);
    expect(err.join('\n')).toContain('--seconds: an integer from 30 to 3600');
  });
});
