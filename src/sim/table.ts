import type { KObject } from './object-store.ts';

// Server-side printing (meta.k8s.io/v1 Table), which `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, so its columns are the API server's. Columns as
// Kubernetes prints Deployments and StatefulSets (pkg/printers/internalversion/printers.go, without the
// -o wide ones) and as Karmada's CRDs declare them (additionalPrinterColumns of
// autoscaling.karmada.io_federatedhpas.yaml and _cronfederatedhpas.yaml). Other kinds answer with a plain
// list, which kubectl prints itself (NAME, AGE): the simulator's simplification.

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  cell: (o: KObject, now: number) => string | number | null;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const at = (o: KObject, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
const ready = (o: KObject) =>
  `${num(at(o, 'status.readyReplicas')) ?? 0}/${num(at(o, 'spec.replicas')) ?? 0}`;
const age: Column = {
  name: 'Age',
  type: 'date',
  cell: (o, now) => humanDuration(now - Date.parse(o.metadata.creationTimestamp ?? '')),
};

const COLUMNS: Record<string, Column[]> = {
  Deployment: [
    { name: 'Ready', type: 'string', cell: ready },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(at(o, 'status.updatedReplicas')) ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => num(at(o, 'status.availableReplicas')) ?? 0 },
    age,
  ],
  StatefulSet: [{ name: 'Ready', type: 'string', cell: ready }, age],
  FederatedHPA: [
    { name: 'REFERENCE-KIND', type: 'string', cell: (o) => String(at(o, 'spec.scaleTargetRef.kind') ?? '') },
    { name: 'REFERENCE-NAME', type: 'string', cell: (o) => String(at(o, 'spec.scaleTargetRef.name') ?? '') },
    { name: 'MINPODS', type: 'integer', cell: (o) => num(at(o, 'spec.minReplicas')) },
    { name: 'MAXPODS', type: 'integer', cell: (o) => num(at(o, 'spec.maxReplicas')) },
    { name: 'REPLICAS', type: 'integer', cell: (o) => num(at(o, 'status.currentReplicas')) },
    { ...age, name: 'AGE' },
  ],
  CronFederatedHPA: [
    { name: 'REFERENCE-KIND', type: 'string', cell: (o) => String(at(o, 'spec.scaleTargetRef.kind') ?? '') },
    { name: 'REFERENCE-NAME', type: 'string', cell: (o) => String(at(o, 'spec.scaleTargetRef.name') ?? '') },
    { ...age, name: 'AGE' },
  ],
};

/** Whether the client asked for a Table (kubectl lists v1 first, then v1beta1, then plain JSON). */
export function wantsTable(accept: string | undefined, kind: string): boolean {
  return COLUMNS[kind] !== undefined && /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

/** A Table of `items`, each row carrying its object's metadata (includeObject=Metadata, the default). */
export function table(
  kind: string,
  items: KObject[],
  now: number,
  list?: { resourceVersion: string; continue?: string },
) {
  const columns = [
    { name: 'Name', type: 'string' as const, cell: (o: KObject) => o.metadata.name },
    ...(COLUMNS[kind] ?? []),
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: list ?? {},
    columnDefinitions: columns.map((c, i) => ({
      name: c.name,
      type: c.type,
      format: i === 0 ? 'name' : '',
      description: '',
      priority: 0,
    })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/** apimachinery's duration.HumanDuration: "45s", "3m10s", "5h", "12d", as kubectl shows ages. */
export function humanDuration(ms: number): string {
  const s = Math.trunc(ms / 1000); // Go's int(d.Seconds()) truncates toward zero
  if (Number.isNaN(s)) return '<unknown>';
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (h < 24 * 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}
