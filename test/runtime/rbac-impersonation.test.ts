import { afterEach, describe, expect, it } from 'vitest';
import type { FederatedHPA } from '../../src/api/federatedhpa.ts';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import type { KObject } from '../../src/sim/object-store.ts';
import { FEDERATED_HPAS } from '../../src/sim/resources.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { karmadaRbacDocs, memberRbacDocs } from '../support/rbac-manifests.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// infra/karmada/rbac.yaml on a simulator that enforces RBAC and impersonates as Karmada does: fhpa runs with
// its ServiceAccount's token, the Karmada API server authorizes it from the applied ClusterRoles, and every
// read through the cluster proxy reaches the member as Karmada's impersonator with Impersonate-User fhpa and
// Impersonate-Group system:serviceaccounts, system:serviceaccounts:karmada-system (pkg/util/proxy/proxy.go).
// The binding shipped before issue 16 (the ServiceAccount alone) must fail the way karmada issues 2075 and
// 5278 report; the shipped one must scale.

type Binding = KObject & { subjects?: { kind: string }[] };

/** rbac.yaml as it was: without the Group subjects that let Karmada impersonate fhpa's groups. */
const withoutGroupSubjects = (docs: Binding[]) =>
  docs
    .map((d) =>
      d.kind === 'ClusterRoleBinding'
        ? { ...d, subjects: (d.subjects ?? []).filter((s) => s.kind !== 'Group') }
        : d,
    )
    .filter((d) => d.kind !== 'ClusterRoleBinding' || (d.subjects ?? []).length > 0);

describe('fhpa with its ServiceAccount on a Karmada that enforces RBAC and impersonation', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function setup(karmadaDocs: KObject[], memberDocs = memberRbacDocs()) {
    h = await startHarness({
      sim: { authorization: 'RBAC' },
      token: (sim) => sim.serviceAccountToken('karmada-system', 'fhpa'),
    });
    h.sim.applyWalkthrough();
    h.sim.applyFederatedHPA(seedFederatedHPA({ behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } }));
    h.sim.applyManifests(karmadaDocs);
    h.sim.applyMemberRbac(memberDocs);
    h.sim.setLoad('default', 'sample-app', { rps: 20 });
    h.sim.clock.advance(30_000);
    return h;
  }
  const ref = { namespace: 'default', name: 'sample-app' };

  it('scales with infra/karmada/rbac.yaml as shipped: no request is refused', async () => {
    const { deps, sim } = await setup(await karmadaRbacDocs());
    const r = await evaluate(deps, ref);
    expect(r).toMatchObject({ outcome: 'scaled', desiredReplicas: 5 });
    expect(sim.requestLog.filter((e) => e.status === 403).map((e) => `${e.method} ${e.path}`)).toEqual([]);
  });

  it('fails with the old binding (ServiceAccount only), naming the missing grant, permanently', async () => {
    const { deps, sim } = await setup(withoutGroupSubjects(await karmadaRbacDocs()));
    const r = await evaluate(deps, ref);
    expect(r).toMatchObject({ outcome: 'failed', retryable: false, reason: 'FailedGetScale' });
    expect(r.message).toContain(
      `member cluster member1 refuses Karmada's impersonation of Group "system:serviceaccounts": on the Karmada API server, bind Group "system:serviceaccounts" to a ClusterRole that names clusters/proxy`,
    );
    expect(r.message).toContain(
      'User "system:serviceaccount:karmada-cluster:karmada-impersonator" cannot impersonate resource "groups"',
    );
    expect(r.message).not.toMatch(/not ready/);
    const fhpa = sim.state.store.mustGet(FEDERATED_HPAS, 'default', 'sample-app') as FederatedHPA;
    expect(fhpa.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' }),
    );
  });

  it('a member without the fhpa-member role: the member grant is named', async () => {
    const { deps } = await setup(await karmadaRbacDocs(), []);
    const r = await evaluate(deps, ref);
    expect(r).toMatchObject({ outcome: 'failed', retryable: false });
    expect(r.message).toContain(
      'member cluster member1 does not grant system:serviceaccount:karmada-system:fhpa "get" on deployments/scale in API group "apps": apply the fhpa-member ClusterRole',
    );
  });

  it('the Karmada API server refuses fhpa without its ClusterRoleBinding', async () => {
    const { deps, sim } = await setup(
      (await karmadaRbacDocs()).filter((d) => d.kind !== 'ClusterRoleBinding'),
    );
    const r = await evaluate(deps, ref);
    expect(r).toMatchObject({ outcome: 'failed' });
    expect(r.message).toContain(
      'federatedhpas.autoscaling.karmada.io "sample-app" is forbidden: User "system:serviceaccount:karmada-system:fhpa" cannot get resource "federatedhpas" in API group "autoscaling.karmada.io" in the namespace "default"',
    );
    expect(sim.requestLog.at(0)?.status).toBe(403);
  });
});
