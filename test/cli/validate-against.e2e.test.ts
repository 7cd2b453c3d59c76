import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { seedFederatedHPA } from '../support/seed.ts';
import { writesSince } from '../support/writes.ts';

// `fhpa validate --against KUBECONFIG`: the webhook's one-autoscaler-per-target check, offline, against the
// simulated Karmada named by a kubeconfig.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function kubeconfig(server: string, token: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fhpa-against-')), 'karmada.config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'karmada-apiserver',
      // The simulator speaks plain HTTP on loopback; client-node only accepts that with skip-tls-verify.
      clusters: [{ name: 'karmada', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fhpa', user: { token } }],
      contexts: [{ name: 'karmada-apiserver', context: { cluster: 'karmada', user: 'fhpa' } }],
    }),
  );
  return file;
}

function named(name: string, target = 'sample-app') {
  const f = seedFederatedHPA({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target } });
  return { ...f, metadata: { name, namespace: 'default' } };
}

describe('fhpa validate --against', () => {
  it('refuses a FederatedHPA whose target Karmada already has one for, reading only', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA());
    const config = kubeconfig(h.sim.url, h.sim.token);
    const m = memoryIO('', { 'second.yaml': stringify(named('second')) });
    const from = h.sim.requestLog.length;
    const code = await main(['validate', '--against', config, 'second.yaml'], m.io);
    if (code === 2) throw new Error(m.err.join('\n'));
    expect(code).toBe(1);
    expect(m.out.join('\n')).toContain(
      'spec.scaleTargetRef: Forbidden: Deployment/sample-app is already the target of FederatedHPA default/sample-app: one autoscaler per target',
    );
    expect(writesSince(h.sim, from)).toEqual([]);
  });

  it('refuses the second of two FederatedHPAs on one target in the files, and warns of a missing target', async () => {
    h = await startHarness();
    h.sim.applyWalkthrough();
    const config = kubeconfig(h.sim.url, h.sim.token);
    const docs = [named('a', 'web'), named('b', 'web')].map((d) => stringify(d)).join('---\n');
    const m = memoryIO('', { 'two.yaml': docs });
    const code = await main(['validate', '-o', 'json', '--against', config, 'two.yaml'], m.io);
    expect(code).toBe(1);
    const entries = JSON.parse(m.out.join('\n')) as Array<{
      name: string;
      valid: boolean;
      warnings: string[];
    }>;
    expect(entries.map((e) => [e.name, e.valid])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(entries[0]?.warnings).toContain(
      'spec.scaleTargetRef: Deployment/web does not exist in namespace default (yet)',
    );
  });

  it('names an unreadable kubeconfig with exit 2', async () => {
    const m = memoryIO('', { 'x.yaml': stringify(named('x')) });
    expect(await main(['validate', '--against', '/nonexistent/kubeconfig', 'x.yaml'], m.io)).toBe(2);
    expect(m.err.join('\n')).toMatch(/^fhpa validate: --against \/nonexistent\/kubeconfig: /);
  });
});
