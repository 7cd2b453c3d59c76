import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/cli/plan.ts';
import { memoryIO } from '../support/memory-io.ts';

const example = (f: string) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');

const FHPA = `apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: sample-app, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: sample-app}
  minReplicas: 2
  maxReplicas: 10
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: sample-app, namespace: default}
spec: {replicas: 5}
`;
const policy = (
  name: string,
  body: string,
  kind = 'PropagationPolicy',
) => `apiVersion: policy.karmada.io/v1alpha1
kind: ${kind}
metadata: {name: ${name}${kind === 'PropagationPolicy' ? ', namespace: default' : ''}}
${body}`;

async function run(args: string[], files: Record<string, string>, stdin = '') {
  const { io, out, err } = memoryIO(stdin, files);
  const code = await plan(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fhpa plan: human output', () => {
  it('divides current, min and max by static weights and shows the Federation v1 bounds', async () => {
    const r = await run(['-f', 'app.yaml', '-f', 'pp.yaml'], {
      'app.yaml': `${FHPA}---\n${DEPLOYMENT}`,
      'pp.yaml': example('propagationpolicy-static-weight.yaml'),
    });
    expect(r).toEqual({
      code: 0,
      err: '',
      out: [
        'FederatedHPA default/sample-app scales Deployment/sample-app',
        'PropagationPolicy default/sample-app-propagation: Divided, Weighted by static weights member1:2 member2:1',
        'Clusters: member1, member2',
        '',
        'Karmada division',
        'current: 5 replicas',
        '  CLUSTER  REPLICAS',
        '  member1  3',
        '  member2  2',
        'min: 2 replicas',
        '  CLUSTER  REPLICAS',
        '  member1  1',
        '  member2  1',
        'max: 10 replicas',
        '  CLUSTER  REPLICAS',
        '  member1  7',
        '  member2  3',
        '',
        'Federation v1 per-cluster HPA bounds (max split evenly, then min)',
        '  CLUSTER  MIN  MAX',
        '  member1  1    5',
        '  member2  1    5',
      ].join('\n'),
    });
  });

  it('shows a division that cannot be made, skipped Federation v1 clusters and warnings', async () => {
    const r = await run(
      ['-f', '-', '--clusters', 'a,b,c', '--available', 'a=1,b=1,c=1', '--replicas', '3'],
      {},
      [
        FHPA.replace('maxReplicas: 10', 'maxReplicas: 4'),
        policy(
          'p',
          'spec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n  placement:\n    replicaScheduling: {replicaDivisionPreference: Aggregated}\n',
        ),
      ].join('---\n'),
    );
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(1)).toEqual([
      'PropagationPolicy default/p: Divided, Aggregated: as few clusters as their available replicas allow',
      'Clusters: a, b, c',
      '',
      'Karmada division',
      'current: 3 replicas',
      '  CLUSTER  REPLICAS',
      '  a        1',
      '  b        1',
      '  c        1',
      'min: 2 replicas',
      '  CLUSTER  REPLICAS',
      '  a        1',
      '  b        1',
      '  c        0',
      'max: 4 replicas',
      '  cannot divide: failed to scale up: Clusters available replicas 3 are not enough to schedule.',
      '',
      'Federation v1 per-cluster HPA bounds (max split evenly, then min)',
      '  CLUSTER  MIN  MAX',
      '  a        1    2',
      '  b        1    2',
      '  c        -    -',
      '  no HPA on c: maxReplicas ran out',
      'warning: dynamic division depends on the previous assignment and on what each cluster can take; shown as a first schedule',
    ]);
  });
});

describe('fhpa plan -o json', () => {
  it('prints the plan; --clusters overrides the policy and status.currentReplicas is the current count', async () => {
    const fhpa = `${FHPA}status: {currentReplicas: 4, desiredReplicas: 4}\n`;
    const r = await run(['-f', 'all.yaml', '--clusters', 'member2,member3', '-o', 'json'], {
      'all.yaml': `${fhpa}---\n${DEPLOYMENT}---\n${example('propagationpolicy-duplicated.yaml')}`,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      federatedHPA: 'default/sample-app',
      target: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
      policy: { kind: 'PropagationPolicy', name: 'default/sample-app-propagation' },
      scheduling: { type: 'Duplicated' },
      clusters: ['member2', 'member3'],
      division: {
        current: {
          replicas: 4,
          assignments: [
            { name: 'member2', replicas: 4 },
            { name: 'member3', replicas: 4 },
          ],
        },
        min: {
          replicas: 2,
          assignments: [
            { name: 'member2', replicas: 2 },
            { name: 'member3', replicas: 2 },
          ],
        },
        max: {
          replicas: 10,
          assignments: [
            { name: 'member2', replicas: 10 },
            { name: 'member3', replicas: 10 },
          ],
        },
      },
      federationV1: {
        clusters: [
          { name: 'member2', minReplicas: 1, maxReplicas: 5 },
          { name: 'member3', minReplicas: 1, maxReplicas: 5 },
        ],
        skipped: [],
      },
      warnings: [],
    });
  });

  it('omits the current row when the count is unknown', async () => {
    const r = await run(['-f', 'a.yaml', '-f', 'b.yaml', '-o', 'json'], {
      'a.yaml': FHPA,
      'b.yaml': example('propagationpolicy-static-weight.yaml'),
    });
    expect(Object.keys(JSON.parse(r.out).division)).toEqual(['min', 'max']);
  });

  it('uses the workload UID for Webster ties (odd FNV-32a → names descending)', async () => {
    const deployment = DEPLOYMENT.replace(
      'namespace: default}',
      'namespace: default, uid: d43fdeeb-d750-4e2b-bee3-64eb94534f4c}',
    );
    const equal = policy(
      'p',
      'spec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: sample-app}]\n  placement:\n    clusterAffinity: {clusterNames: [A, B]}\n    replicaScheduling: {}\n',
    );
    const r = await run(['-f', 'x.yaml', '-o', 'json'], {
      'x.yaml': [FHPA, deployment, equal].join('---\n'),
    });
    expect(JSON.parse(r.out).division.current).toEqual({
      replicas: 5,
      assignments: [
        { name: 'A', replicas: 2 },
        { name: 'B', replicas: 3 },
      ],
    });
  });
});

describe('fhpa plan: choosing the policy', () => {
  const sel = (extra = '') =>
    `spec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment${extra}}]\n  placement: {clusterAffinity: {clusterNames: [m1]}}\n`;
  it.each([
    {
      name: 'a PropagationPolicy beats a ClusterPropagationPolicy of higher priority',
      docs: [
        policy('cpp', `${sel(', name: sample-app')}  priority: 9\n`, 'ClusterPropagationPolicy'),
        policy('pp', sel()),
      ],
      want: 'default/pp',
    },
    {
      name: 'higher spec.priority wins',
      docs: [policy('a', sel(', name: sample-app')), policy('b', `${sel()}  priority: 1\n`)],
      want: 'default/b',
    },
    {
      name: 'selecting by name beats selecting by kind',
      docs: [policy('a', sel()), policy('b', sel(', name: sample-app'))],
      want: 'default/b',
    },
    { name: 'then the first name', docs: [policy('b', sel()), policy('a', sel())], want: 'default/a' },
  ])('$name', async ({ docs, want }) => {
    const r = await run(['-f', 'x.yaml', '-o', 'json'], { 'x.yaml': [FHPA, ...docs].join('---\n') });
    const out = JSON.parse(r.out);
    expect(out.policy.name).toBe(want);
    expect(out.warnings).toEqual([`2 policies select the target; using ${out.policy.kind} ${want}`]);
  });
});

describe('fhpa plan: errors exit 2 and name the problem', () => {
  const pp = example('propagationpolicy-static-weight.yaml');
  it.each<{ name: string; args: string[]; files: Record<string, string>; err: string }>([
    {
      name: 'no file',
      args: [],
      files: {},
      err: 'fhpa plan: -f FILE is required (reading from a live Karmada is not supported yet) (see fhpa plan --help)',
    },
    {
      name: 'unknown argument',
      args: ['-f', 'x', '--watch'],
      files: {},
      err: 'fhpa plan: unknown argument --watch (see fhpa plan --help)',
    },
    {
      name: 'bad --replicas',
      args: ['-f', 'x', '--replicas', '-3'],
      files: {},
      err: 'fhpa plan: --replicas: "-3" is not a replica count (see fhpa plan --help)',
    },
    {
      name: 'bad --available',
      args: ['-f', 'x', '--available', 'm1:3'],
      files: {},
      err: 'fhpa plan: --available: "m1:3" is not CLUSTER=N (see fhpa plan --help)',
    },
    {
      name: 'bad -o',
      args: ['-f', 'x', '-o', 'yaml'],
      files: {},
      err: 'fhpa plan: -o: unsupported output "yaml" (only json) (see fhpa plan --help)',
    },
    {
      name: 'missing file',
      args: ['-f', 'nope.yaml'],
      files: {},
      err: "fhpa plan: nope.yaml: cannot read: ENOENT: no such file, open 'nope.yaml'",
    },
    {
      name: 'no FederatedHPA',
      args: ['-f', 'p.yaml'],
      files: { 'p.yaml': pp },
      err: 'fhpa plan: expected one FederatedHPA in the files, found 0',
    },
    {
      name: 'no policy selects the target',
      args: ['-f', 'x.yaml'],
      files: { 'x.yaml': `${FHPA}---\n${pp.replace('name: sample-app\n', 'name: other\n')}` },
      err: 'fhpa plan: no PropagationPolicy in the files selects apps/v1/Deployment sample-app (1 policies read)',
    },
    {
      name: 'an invalid policy names the field',
      args: ['-f', 'x.yaml'],
      files: { 'x.yaml': `${FHPA}---\n${pp.replace('weight: 2', 'weight: 0')}` },
      err: 'fhpa plan: x.yaml (document 2): spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight: must be at least 1',
    },
    {
      name: 'a policy without cluster names and no --clusters',
      args: ['-f', 'x.yaml'],
      files: {
        'x.yaml': `${FHPA}---\n${policy('p', 'spec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]\n')}`,
      },
      err: 'fhpa plan: default/p names no clusters (spec.placement.clusterAffinity.clusterNames); pass --clusters',
    },
  ])('$name', async ({ args, files, err }) => {
    const r = await run(args, files);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(err);
    expect(r.out).toBe('');
  });

  it('reports a YAML syntax error with its file and document', async () => {
    const r = await run(['-f', 'bad.yaml'], { 'bad.yaml': `${FHPA}---\nkind: [unclosed\n` });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fhpa plan: bad\.yaml \(document 2\): /);
  });

  it('prints the usage with --help', async () => {
    const r = await run(['--help'], {});
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      'Usage: fhpa plan -f FILE [-f FILE...] [--clusters A,B] [--replicas N] [--available A=N,B=N] [--karmada-version V] [-o json]',
    );
  });
});
