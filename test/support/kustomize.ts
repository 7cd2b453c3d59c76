import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

// Renders a kustomization with the kustomize built into kubectl, as `kubectl apply -k` would send it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export async function kustomizeText(dir: string): Promise<string> {
  return (await run('kubectl', ['kustomize', dir], { cwd: ROOT, timeout: 30_000 })).stdout;
}

export async function kustomize(dir: string): Promise<KObject[]> {
  return parseAllDocuments(await kustomizeText(dir)).map((d) => d.toJSON() as KObject);
}
