import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/pipeline/evaluate.ts';
import { runScheduled } from '../../src/pipeline/scheduled.ts';
import { type Attributes, type PolicyRule, ruleAllows } from '../../src/sim/rbac.ts';
import { attributesOf, requestInfo } from '../../src/sim/request-info.ts';
import { type Harness, startHarness } from '../support/pipeline-harness.ts';
import { clusterRoleRules, karmadaRbacDocs, memberRbacDocs } from '../support/rbac-manifests.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// infra/karmada/rbac.yaml as `kubectl apply -k infra/karmada` sends it (and the member role in infra/karmada/README.md) against what fhpa actually sends:
// every request of a scenario that touches every adapter path (all four metric types, the aggregated metrics
// fallback, both CronFederatedHPA target kinds, Deployment and StatefulSet targets) is resolved to its RBAC
// attributes as the API server's RequestInfoFactory does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go)
// and checked against the rules as RBAC's rule matcher does (plugin/pkg/auth/authorizer/rbac/rbac.go), both
// the simulator's (src/sim/request-info.ts, src/sim/rbac.ts). The
// converse holds too: every grant is used by some request, so the role is exactly what fhpa needs.

type Rule = PolicyRule;
/** The Karmada API server's RBAC, rendered by kubectl's kustomize. */
const KARMADA_PART = await karmadaRbacDocs();

/** requestinfo.go's attributes of a request fhpa sent (the simulator's own resolver). */
const attributes = (method: string, fullPath: string): Attributes => {
  const path = fullPath.replace(/\?.*$/, '');
  return attributesOf(requestInfo(method, path), path);
};
const allows = ruleAllows;

/** `get apps/deployments/scale`, `create /events`, `get /apis/apps/v1`. */
const label = (a: Attributes) =>
  `${a.verb} ${a.resourceRequest ? `${a.apiGroup}/${a.resource}${a.subresource ? `/${a.subresource}` : ''}` : a.path}`;

/** The bootstrap role every authenticated user holds in a member (discovery through the proxy). */
const SYSTEM_DISCOVERY: Rule = { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*'] };

describe('RBAC for fhpa', () => {
  const karmadaRules = clusterRoleRules<Rule>(KARMADA_PART, 'fhpa');
  const members = clusterRoleRules<Rule>(memberRbacDocs(), 'fhpa-member');
  const used = new Map<Rule, Set<string>>();
  const denied: string[] = [];
  let h: Harness;

  beforeAll(async () => {
    // External metrics need fhpa's webhook in place of Karmada's FederatedHPA webhooks (README).
    h = await startHarness({ sim: { federatedHPAWebhooks: 'fhpa' } });
    const { sim } = h;
    sim.applyWalkthrough();
    sim.applyDeployment({
      name: 'db',
      kind: 'StatefulSet',
      replicas: 1,
      containers: [{ name: 'db', requests: { cpu: '100m' } }],
    });
    sim.applyPropagationPolicy({
      namespace: 'default',
      name: 'db-pp',
      resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }],
      placement: {
        clusterAffinity: { clusterNames: ['member1', 'member2'] },
        replicaScheduling: { replicaSchedulingType: 'Divided', replicaDivisionPreference: 'Weighted' },
      },
    });
    const web = seedFederatedHPA({
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 } },
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'http_requests' }, target: { type: 'Value', averageValue: '700m' } },
        },
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
            metric: { name: 'requests-per-second' },
            target: { type: 'Value', value: '100' },
          },
        },
        {
          type: 'External',
          external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '10' } },
        },
      ] as never,
    });
    sim.applyFederatedHPA(web);
    const db = seedFederatedHPA({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' },
    });
    db.metadata.name = 'db';
    sim.applyFederatedHPA(db);
    // A second workload of each kind, so the sweep lists the namespace's templates and each member's workloads
    // (sweep-reads.ts lists from two of a kind on), and one whose binding cannot be found by its name (the
    // policy-label lookup: template GET, binding LIST).
    for (const [name, kind] of [
      ['web2', 'Deployment'],
      ['db2', 'StatefulSet'],
    ] as const) {
      sim.applyDeployment({
        name,
        kind,
        replicas: 1,
        containers: [{ name: 'c', requests: { cpu: '100m' } }],
      });
      sim.applyPropagationPolicy({
        namespace: 'default',
        name: `${name}-pp`,
        resourceSelectors: [{ apiVersion: 'apps/v1', kind, name }],
        placement: { clusterAffinity: { clusterNames: ['member1', 'member2'] } },
      });
      const f = seedFederatedHPA({ scaleTargetRef: { apiVersion: 'apps/v1', kind, name } });
      f.metadata.name = name;
      sim.applyFederatedHPA(f);
    }
    sim.applyDeployment({
      name: 'unplaced',
      replicas: 1,
      containers: [{ name: 'c', requests: { cpu: '100m' } }],
    });
    const unplaced = seedFederatedHPA({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'unplaced' },
    });
    unplaced.metadata.name = 'unplaced';
    sim.applyFederatedHPA(unplaced);
    const cron = (name: string, target: Record<string, string>, rule: Record<string, unknown>) => ({
      apiVersion: 'autoscaling.karmada.io/v1alpha1' as const,
      kind: 'CronFederatedHPA' as const,
      metadata: { name, namespace: 'default' },
      spec: {
        scaleTargetRef: target,
        rules: [{ name: 'r', schedule: '*/1 * * * *', timeZone: 'UTC', ...rule }],
      },
    });
    sim.applyCronFederatedHPA(
      cron(
        'min',
        { apiVersion: 'autoscaling.karmada.io/v1alpha1', kind: 'FederatedHPA', name: 'sample-app' },
        { targetMinReplicas: 2 },
      ) as never,
    );
    sim.applyCronFederatedHPA(
      cron('db', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, { targetReplicas: 3 }) as never,
    );
    sim.setExternalMetric('default', 'queue_depth', 50);
    sim.setLoad('default', 'sample-app', { rps: 20 });
    sim.clock.advance(30_000);
    await runScheduled(h.deps);
    // Alert-triggered evaluations read one target's objects: the binding by its name, the member scales.
    for (const name of ['sample-app', 'db']) await evaluate(h.deps, { namespace: 'default', name });
    // Members refuse resource metrics through the proxy: fhpa falls back to the aggregated metrics API. And the
    // CronFederatedHPA history write after the StatefulSet rule ran meets a 409, so fhpa re-reads the object.
    sim.faults.addRule({
      path: '/apis/cluster.karmada.io/v1alpha1/clusters/*/proxy/apis/metrics.k8s.io/**',
      errorRate: 1,
      errorStatus: 403,
    });
    const stop = sim.onScaleWrite((w) => {
      if (w.kind !== 'StatefulSet' || w.replicas !== 3) return;
      stop();
      sim.faults.addRule({
        method: 'PATCH',
        path: '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas/db/status',
        conflictRate: 1,
        limit: 1,
      });
    });
    sim.clock.advance(120_000);
    await runScheduled(h.deps);
    sim.faults.clear();

    const record = (rules: Rule[], a: Attributes, where: string, request: string) => {
      const rule = rules.find((x) => allows(x, a));
      if (!rule) denied.push(`${where}: ${request}`);
      else used.set(rule, (used.get(rule) ?? new Set()).add(label(a)));
    };
    for (const r of sim.requestLog) {
      const outer = attributes(r.method, r.path);
      record(karmadaRules, outer, 'Karmada', `${r.method} ${r.path}`);
      if (outer.resourceRequest && outer.resource === 'clusters' && outer.subresource === 'proxy') {
        const path = r.path.replace(/\?.*$/, '');
        const inner = path.slice(path.indexOf('/proxy') + '/proxy'.length);
        record([...members, SYSTEM_DISCOVERY], attributes(r.method, inner), 'member', `${r.method} ${inner}`);
      }
    }
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the scenario reached every adapter path (scales, cron writes and re-reads, events, the metrics fallback)', () => {
    const paths = new Set(h.sim.requestLog.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`));
    for (const expected of [
      'PATCH /apis/apps/v1/namespaces/default/deployments/sample-app/scale',
      'PATCH /apis/apps/v1/namespaces/default/statefulsets/db/scale',
      'PATCH /apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas/sample-app',
      'PATCH /apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas/db/status',
      'GET /apis/autoscaling.karmada.io/v1alpha1/namespaces/default/cronfederatedhpas/db',
      'POST /api/v1/namespaces/default/events',
      'GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods',
      'GET /apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth',
      'GET /apis/custom.metrics.k8s.io/v1beta2/namespaces/default/deployments.apps/sample-app/requests-per-second',
    ])
      expect(paths).toContain(expected);
  });

  it('grants every request fhpa makes, on the Karmada API server and in the members', () => {
    expect(denied).toEqual([]);
  });

  it('grants nothing the scenario does not use (each verb of each rule)', () => {
    const unused: string[] = [];
    for (const rule of [...karmadaRules, ...members]) {
      const labels = used.get(rule) ?? new Set<string>();
      for (const verb of rule.verbs) {
        if (![...labels].some((l) => l.startsWith(`${verb} `)))
          unused.push(`${verb} ${JSON.stringify(rule.resources ?? rule.nonResourceURLs)}`);
      }
      // A rule naming several resources must need each of them.
      for (const resource of rule.resources ?? []) {
        if (resource === '*') continue;
        if (![...labels].some((l) => l.endsWith(`/${resource}`))) unused.push(`resource ${resource}`);
      }
    }
    expect(unused).toEqual([]);
  });
});
