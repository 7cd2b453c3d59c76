import { execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kubectlOnWalkthrough } from '../support/kubectl.ts';
import { client, FHPA_PATH, sampleFHPA } from './http-client.ts';

// Issue 17.9, driven by the real kubectl: `kubectl apply` validates without --validate=false (it finds
// fieldValidation among the PATCH parameters of /openapi/v3 and sends fieldValidation=Strict, so the simulator
// refuses unknown fields as kube-apiserver does), and `kubectl get -w` follows a watch stream.

const installed = await promisify(execFile)('kubectl', ['version', '--client'], { timeout: 10_000 }).then(
  () => true,
  () => false,
);

const until = async (check: () => boolean, what: () => string, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!installed)('kubectl validation and watch against the simulator', () => {
  const { ctx, kubectl, exec } = kubectlOnWalkthrough(sampleFHPA);
  const manifest = async (name: string, obj: unknown) => {
    const file = join(ctx.dir, name);
    await writeFile(file, JSON.stringify(obj));
    return file;
  };
  const other = (spec: Record<string, unknown>) => ({
    ...sampleFHPA('other-app'),
    spec: { ...sampleFHPA().spec, ...spec },
  });

  it('apply (validation on, the default) refuses an unknown field as kube-apiserver does, and stores nothing', async () => {
    const before = ctx.sim.state.store.resourceVersion();
    const r = await exec('apply', '-f', await manifest('bad.json', other({ maxReplicaz: 4 })));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'FederatedHPA in version "v1alpha1" cannot be handled as a FederatedHPA: strict decoding error: unknown field "spec.maxReplicaz"',
    );
    expect(ctx.sim.state.store.resourceVersion()).toBe(before);
    expect((await client(ctx.sim).get(`${FHPA_PATH}/other-app`)).status).toBe(404);
  });

  it('apply without --validate=false creates a good FederatedHPA, then refuses an unknown field in an update', async () => {
    const file = await manifest('good.json', other({ maxReplicas: 6 }));
    expect(await kubectl('apply', '-f', file)).toMatch(
      /federatedhpa.autoscaling.karmada.io\/other-app created/,
    );
    const r = await exec(
      'apply',
      '-f',
      await manifest('bad-update.json', other({ maxReplicas: 7, bogus: true })),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.bogus"');
    expect((await client(ctx.sim).get(`${FHPA_PATH}/other-app`)).body.spec.maxReplicas).toBe(6);
  });

  it('--validate=warn applies with a warning and prunes the unknown field, as a CRD with a structural schema', async () => {
    const r = await exec(
      'apply',
      '--validate=warn',
      '-f',
      await manifest('warn.json', other({ maxReplicas: 8, bogus: 1 })),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: unknown field "spec.bogus"');
    const stored = (await client(ctx.sim).get(`${FHPA_PATH}/other-app`)).body;
    expect(stored.spec.maxReplicas).toBe(8);
    expect(stored.spec).not.toHaveProperty('bogus');
  });

  it('get -w prints the FederatedHPA, then its update; stopping kubectl leaves no watcher behind', async () => {
    const args = [
      '--server',
      ctx.sim.url,
      '--kubeconfig',
      '/dev/null',
      '--cache-dir',
      join(ctx.dir, 'cache'),
    ];
    const watch = spawn('kubectl', [...args, 'get', 'federatedhpa', 'sample-app', '-w']);
    let out = '';
    watch.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    watch.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise((resolve) => watch.on('exit', resolve));
    try {
      await until(
        () => ctx.sim.state.store.watcherCount() === 1,
        () => out,
      );
      expect(out).toMatch(/^NAME\s+REFERENCE-KIND\s+REFERENCE-NAME\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
      expect(out).toMatch(/sample-app\s+Deployment\s+sample-app\s+1\s+10\s/);
      await kubectl(
        'patch',
        'federatedhpa',
        'sample-app',
        '--type=merge',
        '-p',
        '{"spec":{"maxReplicas":9}}',
      );
      await until(
        () => /sample-app\s+Deployment\s+sample-app\s+1\s+9\s/.test(out),
        () => out,
      );
      // The header once, then one row per event.
      expect(out.match(/^NAME/gm)).toHaveLength(1);
    } finally {
      watch.kill('SIGTERM');
      await exited;
    }
    await until(
      () => ctx.sim.state.store.watcherCount() === 0,
      () => `${ctx.sim.state.store.watcherCount()} watchers`,
    );
  });
});
