// `fhpa plan -f FILE [-f FILE...]`: how a FederatedHPA's replica counts land on member clusters under the
// PropagationPolicy of its target (Karmada's division), and the per-cluster HPA bounds Kubernetes
// Federation v1 would have set (issue 7). Reading the objects from a live Karmada is not supported yet.

import { parseAllDocuments } from 'yaml';
import { type FederatedHPA, federatedHPASchema } from '../api/federatedhpa.ts';
import { fieldPath } from '../api/field-path.ts';
import { type PropagationPolicy, propagationPolicySchema } from '../api/propagationpolicy.ts';
import { choosePolicy } from '../placement/policy-match.ts';
import { policyClusterNames } from '../placement/policy-scheduling.ts';
import {
  type DivisionRow,
  describeScheduling,
  planReplicas,
  type ReplicaPlan,
} from '../placement/replica-plan.ts';
import { type DivisionAlgorithm, divisionAlgorithmFor } from '../placement/take-by-weight.ts';
import { argumentError, type CliIO, type Command } from './io.ts';

export const PLAN_USAGE = `Usage: fhpa plan -f FILE [-f FILE...] [--clusters A,B] [--replicas N] [--available A=N,B=N] [--karmada-version V] [-o json]

Show how a FederatedHPA's current, min and max replica counts are divided across member clusters by
Karmada under the PropagationPolicy of its target (Duplicated; Divided by static weights with the
Webster method, by available replicas, or Aggregated), and the per-cluster HPA min/max that
Kubernetes Federation v1 would set (max split evenly, then min; the sum of mins never 0).

  -f, --filename FILE   YAML or JSON, several documents allowed ("-" reads standard input). The files
                        together hold one FederatedHPA and its PropagationPolicy (or
                        ClusterPropagationPolicy); a workload document matching the scale target is
                        used for the current replica count and its UID.
  --clusters A,B        candidate member clusters (default: the policy's clusterAffinity.clusterNames)
  --replicas N          current replica count (default: FederatedHPA status.currentReplicas, else the
                        workload's spec.replicas; omitted when unknown)
  --available A=N,...   replicas each cluster can still take, for dynamic weight and Aggregated
                        (default: each can take the whole count, as Karmada without an estimator)
  --karmada-version V   the Karmada release to follow (default the newest): v1.12 to v1.15 divide static
                        weights by TakeByWeight (floor shares, remainder to the heaviest, ties at random
                        with a fixed seed), v1.16 and later by Webster
  -o, --output json     print the plan as JSON

Reading the objects from a live Karmada is not supported yet.
Exit status: 0 with a plan, 2 when the arguments or files are unusable.`;

interface Args {
  files: string[];
  clusters?: string[];
  replicas?: number;
  available?: Record<string, number>;
  algorithm?: DivisionAlgorithm;
  json: boolean;
}

const COUNT = /^(0|[1-9][0-9]{0,9})$/;

function parseArgs(args: string[]): Args | string {
  const out: Args = { files: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : args[++i]);
    const names = ['-f', '--filename', '--clusters', '--replicas', '--available', '--karmada-version'];
    if (![...names, '-o', '--output'].includes(name)) {
      return `unknown argument ${arg}`;
    }
    const v = value();
    if (v === undefined) return `${name} needs a value`;
    if (name === '-f' || name === '--filename') out.files.push(v);
    else if (name === '--clusters') out.clusters = v.split(',').filter((c) => c !== '');
    else if (name === '--replicas') {
      if (!COUNT.test(v) || Number(v) > 2147483647) return `--replicas: "${v}" is not a replica count`;
      out.replicas = Number(v);
    } else if (name === '--available') {
      const map: Record<string, number> = {};
      for (const pair of v.split(',').filter((p) => p !== '')) {
        const [cluster, n] = pair.split('=');
        if (!cluster || n === undefined || !COUNT.test(n)) return `--available: "${pair}" is not CLUSTER=N`;
        map[cluster] = Number(n);
      }
      out.available = map;
    } else if (name === '--karmada-version') {
      const algorithm = divisionAlgorithmFor(v);
      if (typeof algorithm !== 'string') return `--karmada-version: ${algorithm.error}`;
      out.algorithm = algorithm;
    } else if (v !== 'json') return `${name}: unsupported output "${v}" (only json)`;
    else out.json = true;
  }
  if (out.files.length === 0) return '-f FILE is required (reading from a live Karmada is not supported yet)';
  return out;
}

interface Loaded {
  fhpas: FederatedHPA[];
  policies: PropagationPolicy[];
  others: Record<string, unknown>[];
}

async function load(io: CliIO, files: string[]): Promise<Loaded | string[]> {
  const loaded: Loaded = { fhpas: [], policies: [], others: [] };
  const errors: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await io.readStdin() : await io.readFile(file);
    } catch (err) {
      errors.push(`${file}: cannot read: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const [i, doc] of parseAllDocuments(text).entries()) {
      const where = `${file} (document ${i + 1})`;
      if (doc.errors.length > 0) {
        errors.push(`${where}: ${doc.errors[0]!.message}`);
        continue;
      }
      const obj: unknown = doc.toJS();
      if (obj === null || typeof obj !== 'object') continue;
      const kind = (obj as { kind?: unknown }).kind;
      const schema =
        kind === 'FederatedHPA'
          ? federatedHPASchema
          : kind === 'PropagationPolicy' || kind === 'ClusterPropagationPolicy'
            ? propagationPolicySchema
            : undefined;
      if (schema === undefined) {
        loaded.others.push(obj as Record<string, unknown>);
        continue;
      }
      const parsed = schema.safeParse(obj);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          errors.push(`${where}: ${fieldPath(issue.path) || '(root)'}: ${issue.message}`);
      } else if (kind === 'FederatedHPA') loaded.fhpas.push(parsed.data as FederatedHPA);
      else loaded.policies.push(parsed.data as PropagationPolicy);
    }
  }
  return errors.length > 0 ? errors : loaded;
}

const key = (m: { namespace?: string | undefined; name?: string | undefined }) =>
  m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');

function workloadOf(fhpa: FederatedHPA, others: Record<string, unknown>[]) {
  const ref = fhpa.spec.scaleTargetRef;
  const doc = others.find((o) => {
    const meta = o.metadata as { name?: unknown } | undefined;
    return o.kind === ref.kind && o.apiVersion === ref.apiVersion && meta?.name === ref.name;
  });
  const replicas = (doc?.spec as { replicas?: unknown } | undefined)?.replicas;
  const uid = (doc?.metadata as { uid?: unknown } | undefined)?.uid;
  return {
    ...(typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0 ? { replicas } : {}),
    ...(typeof uid === 'string' ? { uid } : {}),
  };
}

export const plan: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(PLAN_USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    return argumentError(io, 'plan', parsed);
  }
  const loaded = await load(io, parsed.files);
  if (Array.isArray(loaded)) {
    io.err(loaded.map((e) => `fhpa plan: ${e}`).join('\n'));
    return 2;
  }
  if (loaded.fhpas.length !== 1) {
    io.err(`fhpa plan: expected one FederatedHPA in the files, found ${loaded.fhpas.length}`);
    return 2;
  }
  const fhpa = loaded.fhpas[0]!;
  const { policy, warnings } = choosePolicy(
    loaded.policies,
    fhpa.spec.scaleTargetRef,
    fhpa.metadata.namespace,
  );
  const ref = fhpa.spec.scaleTargetRef;
  if (!policy) {
    io.err(
      `fhpa plan: no PropagationPolicy in the files selects ${ref.apiVersion ?? ''}/${ref.kind} ${ref.name}` +
        ` (${loaded.policies.length} policies read)`,
    );
    return 2;
  }
  const clusters = parsed.clusters ?? policyClusterNames(policy);
  if (clusters.length === 0) {
    io.err(
      `fhpa plan: ${key(policy.metadata)} names no clusters (spec.placement.clusterAffinity.clusterNames); pass --clusters`,
    );
    return 2;
  }
  const workload = workloadOf(fhpa, loaded.others);
  const currentReplicas = parsed.replicas ?? fhpa.status?.currentReplicas ?? workload.replicas;
  const result = planReplicas({
    federatedHPA: fhpa,
    policy,
    clusters,
    ...(currentReplicas === undefined ? {} : { currentReplicas }),
    ...(parsed.available ? { available: parsed.available } : {}),
    ...(workload.uid ? { uid: workload.uid } : {}),
    ...(parsed.algorithm ? { algorithm: parsed.algorithm } : {}),
  });
  result.warnings.unshift(...warnings);
  const header = {
    federatedHPA: key(fhpa.metadata),
    target: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name },
    policy: { kind: policy.kind, name: key(policy.metadata) },
  };
  io.out(parsed.json ? JSON.stringify({ ...header, ...result }, null, 2) : render(header, result));
  return 0;
};

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd());
}

function renderRow(label: string, row: DivisionRow, clusters: string[]): string[] {
  const lines = [`${label}: ${row.replicas} replicas`];
  if ('error' in row) return [...lines, `  cannot divide: ${row.error}`];
  const got = new Map(row.assignments.map((a) => [a.name, a.replicas]));
  return [
    ...lines,
    ...table([['CLUSTER', 'REPLICAS'], ...clusters.map((c) => [c, String(got.get(c) ?? 0)])]),
  ];
}

function render(
  header: {
    federatedHPA: string;
    target: { kind: string; name: string };
    policy: { kind: string; name: string };
  },
  p: ReplicaPlan,
): string {
  const clusters = [...p.clusters].sort();
  const lines = [
    `FederatedHPA ${header.federatedHPA} scales ${header.target.kind}/${header.target.name}`,
    `${header.policy.kind} ${header.policy.name}: ${describeScheduling(p.scheduling)}`,
    `Clusters: ${clusters.join(', ')}`,
    '',
    'Karmada division',
  ];
  if (p.division.current) lines.push(...renderRow('current', p.division.current, clusters));
  lines.push(
    ...renderRow('min', p.division.min, clusters),
    ...renderRow('max', p.division.max, clusters),
    '',
  );
  lines.push('Federation v1 per-cluster HPA bounds (max split evenly, then min)');
  const bounds = new Map(p.federationV1.clusters.map((b) => [b.name, b]));
  lines.push(
    ...table([
      ['CLUSTER', 'MIN', 'MAX'],
      ...clusters.map((c) => {
        const b = bounds.get(c);
        return b ? [c, String(b.minReplicas), String(b.maxReplicas)] : [c, '-', '-'];
      }),
    ]),
  );
  if (p.federationV1.skipped.length > 0)
    lines.push(`  no HPA on ${p.federationV1.skipped.join(', ')}: maxReplicas ran out`);
  for (const w of p.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
