import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KObject } from '../../src/sim/object-store.ts';
import { kustomize } from './kustomize.ts';

// The RBAC fhpa ships: infra/karmada (rbac.yaml, through its kustomization) for the Karmada API server, and the member role, the yaml block
// under "### Member clusters" in infra/karmada/README.md. Read from the files users apply, never copied.

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const docsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as KObject);

/** The identity and RBAC objects of `kubectl apply -k infra/karmada`, rendered by kubectl's kustomize. */
export async function karmadaRbacDocs(): Promise<KObject[]> {
  const docs = await kustomize('infra/karmada');
  return docs.filter((d) => RBAC_KINDS.includes(d.kind)) as KObject[];
}
const RBAC_KINDS = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'];

export function memberRbacDocs(): KObject[] {
  const readme = read('infra/karmada/README.md');
  const section = readme.slice(readme.indexOf('### Member clusters'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README has no member role');
  return docsOf(block);
}

/** The rules of one ClusterRole among `docs`. */
export function clusterRoleRules<R>(docs: readonly KObject[], name: string): R[] {
  const role = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === name);
  if (!role) throw new Error(`no ClusterRole ${name}`);
  return (role as { rules?: R[] }).rules ?? [];
}
