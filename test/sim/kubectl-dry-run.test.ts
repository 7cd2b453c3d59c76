import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEPLOYMENTS } from '../../src/sim/resources.ts';
import { kubectlOnWalkthrough } from '../support/kubectl.ts';
import { client, FHPA_PATH, sampleFHPA } from './http-client.ts';

// Issue 17.8: server-side dry run, driven by the real kubectl. `apply`, `patch` (the scale subresource
// included), `delete` with --dry-run=server and `kubectl diff` send `?dryRun=All`: the simulator answers with
// the object as it would be and changes nothing (no object, no resourceVersion, no member replicas).

const installed = await promisify(execFile)('kubectl', ['version', '--client'], { timeout: 10_000 }).then(
  () => true,
  () => false,
);

describe.skipIf(!installed)('kubectl server-side dry run against the simulator', () => {
  const { ctx, kubectl, exec } = kubectlOnWalkthrough(sampleFHPA);
  /** A manifest in the test's dir, for `-f`. */
  const manifest = async (name: string, obj: unknown) => {
    const file = join(ctx.dir, name);
    await writeFile(file, JSON.stringify(obj));
    return file;
  };
  /**
   * What a write would change: the store's resourceVersion (every write spends one) and the members. Karmada's
   * status controller is let catch up first: its status write for pods that became ready is not the dry run's.
   */
  const state = () => {
    ctx.sim.state.catchUp(DEPLOYMENTS, 'default', 'sample-app');
    return {
      rv: ctx.sim.state.store.resourceVersion(),
      members: ctx.sim.memberReplicas('default', 'sample-app'),
    };
  };

  it('patch --dry-run=server of the scale answers the new size and scales nothing', async () => {
    const before = state();
    const out = await kubectl(
      'patch',
      'deployment',
      'sample-app',
      '--subresource=scale',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":6}}',
      '--dry-run=server',
      '-o',
      'jsonpath={.spec.replicas}',
    );
    expect(out).toBe('6');
    expect(state()).toEqual(before);
  });

  it('apply --dry-run=server of a changed FederatedHPA answers it changed and stores nothing', async () => {
    const before = state();
    const file = await manifest('fhpa.json', {
      ...sampleFHPA(),
      spec: { ...sampleFHPA().spec, maxReplicas: 7 },
    });
    const out = await kubectl('apply', '-f', file, '--dry-run=server', '-o', 'jsonpath={.spec.maxReplicas}');
    expect(out).toBe('7');
    expect(state()).toEqual(before);
    expect((await client(ctx.sim).get(`${FHPA_PATH}/sample-app`)).body.spec.maxReplicas).toBe(10);
  });

  it('kubectl diff shows the change and changes nothing', async () => {
    const before = state();
    const file = await manifest('fhpa-diff.json', {
      ...sampleFHPA(),
      spec: { ...sampleFHPA().spec, maxReplicas: 9 },
    });
    const r = await exec('diff', '-f', file);
    expect(r.code).toBe(1); // kubectl diff: 1 when it found differences
    expect(r.stdout).toMatch(/-\s+maxReplicas: 10\n\+\s+maxReplicas: 9/);
    expect(state()).toEqual(before);
  });

  it('delete --dry-run=server says deleted and deletes nothing', async () => {
    const before = state();
    expect(await kubectl('delete', 'deployment', 'sample-app', '--dry-run=server')).toMatch(
      /deleted \(server dry run\)/,
    );
    expect(await kubectl('delete', 'federatedhpa', 'sample-app', '--dry-run=server')).toMatch(
      /deleted \(server dry run\)/,
    );
    expect(state()).toEqual(before);
    expect((await client(ctx.sim).get(`${FHPA_PATH}/sample-app`)).status).toBe(200);
  });

  it('create --dry-run=server of a new Deployment creates nothing', async () => {
    const before = state();
    expect(await kubectl('create', 'deployment', 'web', '--image=nginx', '--dry-run=server')).toMatch(
      /created \(server dry run\)/,
    );
    expect(state()).toEqual(before);
    expect((await client(ctx.sim).get('/apis/apps/v1/namespaces/default/deployments/web')).status).toBe(404);
  });

  it('refuses a dryRun value other than All, as Kubernetes does', async () => {
    const r = await client(ctx.sim).delete(`${FHPA_PATH}/sample-app?dryRun=Yes`);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('Unsupported value: "Yes": supported values: "All"');
  });
});
