import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kubectlOnWalkthrough } from '../support/kubectl.ts';
import { client, FHPA_PATH, sampleFHPA } from './http-client.ts';

// kubectl (Debian package kubernetes-client, or any kubectl on PATH) against the simulator: its
// discovery, list, scale-subresource patch and status-subresource patch must be understood by the real
// client. kubectl does not send bearer tokens over plain HTTP, so this simulator runs open (no token).

const run = promisify(execFile);
const kubectlVersion = await run('kubectl', ['version', '--client', '-o', 'json'], { timeout: 10_000 }).then(
  (r) =>
    (JSON.parse(r.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ??
    'unknown',
  () => undefined,
);

describe.skipIf(kubectlVersion === undefined)(
  `kubectl ${kubectlVersion ?? '(not installed: apt-get install -y kubernetes-client)'} against the simulator`,
  () => {
    const { ctx, kubectl, exec } = kubectlOnWalkthrough(sampleFHPA);

    it('lists FederatedHPAs in all namespaces as JSON', async () => {
      const list = JSON.parse(await kubectl('get', 'federatedhpas', '-A', '-o', 'json'));
      expect(
        list.items.map(
          (i: { metadata: { namespace: string; name: string } }) =>
            `${i.metadata.namespace}/${i.metadata.name}`,
        ),
      ).toEqual(['default/sample-app']);
      expect(list.items[0].spec.metrics[0].pods.target.averageValue).toBe('700m');
    });

    it('patches the scale subresource with a merge patch, and Karmada divides it 2/2', async () => {
      expect(
        await kubectl(
          'patch',
          'deployment',
          'sample-app',
          '--subresource=scale',
          '--type=merge',
          '-p',
          '{"spec":{"replicas":4}}',
        ),
      ).toMatch(/sample-app patched/);
      expect(ctx.sim.memberReplicas('default', 'sample-app')).toEqual({ member1: 2, member2: 2 });
      expect(
        await kubectl(
          'get',
          'deployment',
          'sample-app',
          '-o',
          'jsonpath={.spec.replicas}/{.status.replicas}',
        ),
      ).toBe('4/4');
      expect(ctx.sim.counters.scaleWrites.patch).toBe(1);
    });

    it('patches FederatedHPA status through the status subresource, leaving spec alone', async () => {
      const status = { currentReplicas: 4, desiredReplicas: 4, lastScaleTime: '2026-01-01T00:00:00Z' };
      await kubectl(
        'patch',
        'fhpa',
        'sample-app',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify({ status, spec: { maxReplicas: 99 } }),
      );
      const obj = (await client(ctx.sim, null).get(`${FHPA_PATH}/sample-app`)).body;
      expect(obj.status).toEqual(status);
      expect(obj.spec.maxReplicas).toBe(10);
    });

    it("resolves `get pods` to the control plane's (empty) core pods, not to metrics.k8s.io PodMetrics", async () => {
      const pods = JSON.parse(await kubectl('get', 'pods', '-o', 'json'));
      expect(pods.items).toEqual([]);
      // -v=6 logs each request kubectl sends: the list goes to core v1, never to metrics.k8s.io.
      const { stderr } = await exec('get', 'pods', '-v=6');
      expect(stderr).toMatch(/GET http:\/\/[^ ]+\/api\/v1\/namespaces\/default\/pods\?limit=500 200/);
      expect(stderr).not.toContain('metrics.k8s.io/v1beta1/namespaces/default/pods');
    });
  },
);
