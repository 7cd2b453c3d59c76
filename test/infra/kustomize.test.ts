// The install manifests, rendered as `kubectl apply -k` renders them (kubectl's built-in kustomize), checked
// against the code they run: the image the Dockerfile builds, `fhpa serve`'s own flag parser, the
// configuration schemas, the app's routes, the Secrets' shape. RBAC is checked against recorded requests in
// test/runtime/rbac.test.ts, on this same rendering of infra/karmada.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createApp } from '../../src/app/app.ts';
import { parseServeArgs, type ServeArgs } from '../../src/cli/serve.ts';
import { envSchema, leaseOptionsFrom, parseEnv } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';
import { parseStoreConfig, storeEnvSchema } from '../../src/store/config.ts';
import { admissionReview } from '../support/admission-review.ts';
import { type KObject, kustomize } from '../support/kustomize.ts';

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const VERSION = (JSON.parse(read('package.json')) as { version: string }).version;
const USER = /^USER (\d+)/m.exec(read('Dockerfile'))?.[1];
const SECRETS = parseAllDocuments(read('infra/k8s/secrets.yaml')).map((d) => d.toJSON() as KObject);
const secretKeys = (name: string) =>
  Object.keys(((SECRETS.find((s) => s.metadata.name === name)?.stringData ?? {}) as object) ?? {});
const KNOWN_VARIABLES = new Set([...Object.keys(envSchema.shape), ...Object.keys(storeEnvSchema.shape)]);

interface Port {
  name?: string;
  containerPort: number;
}
interface Probe {
  httpGet: { path: string; port: string | number; scheme?: string };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Container {
  image: string;
  args: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string; optional?: boolean } }[];
  ports: Port[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  securityContext: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  securityContext: { runAsUser?: number; runAsNonRoot?: boolean };
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
}
type Workload = KObject & {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};

/** An app with every route, as each runtime serves it; Karmada and the store answer /readyz's checks. */
const app = createApp({
  deps: () =>
    ({
      karmada: { probe: async () => {} },
      store: { load: async () => ({ history: { recommendations: [], scaleEvents: [] }, version: 0 }) },
      scope: 'kustomize-test',
      clock: Date.now,
      log: silentLogger,
    }) as unknown as PipelineDeps,
  credentials: { bearerToken: 'kustomize-test-token-0123' },
  maxBodyBytes: 1024 * 1024,
});

const OVERLAYS = ['infra/k8s/overlays/embedded', 'infra/k8s/overlays/dynamodb'];
const rendered = new Map<string, KObject[]>();
beforeAll(async () => {
  for (const dir of [...OVERLAYS, 'infra/karmada']) rendered.set(dir, await kustomize(dir));
}, 60_000);

const of = (dir: string, kind: string) => (rendered.get(dir) ?? []).filter((o) => o.kind === kind);
const workloads = (dir: string) => [...of(dir, 'Deployment'), ...of(dir, 'StatefulSet')] as Workload[];
const cases = [
  ['infra/k8s/overlays/embedded', 'fhpa'],
  ['infra/k8s/overlays/dynamodb', 'fhpa'],
  ['infra/k8s/overlays/dynamodb', 'fhpa-sweep'],
] as const;

/** The environment a container gets: literal values, ConfigMaps, and stand-ins for Secret values. */
function environment(dir: string, c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) {
      const map = of(dir, 'ConfigMap').find((m) => m.metadata.name === from.configMapRef?.name);
      expect(map, `ConfigMap ${from.configMapRef.name}`).toBeDefined();
      Object.assign(env, map?.data);
    }
    if (from.secretRef) expect(secretKeys(from.secretRef.name).length).toBeGreaterThan(0);
  }
  for (const v of c.env ?? []) {
    if (v.valueFrom?.secretKeyRef) {
      expect(secretKeys(v.valueFrom.secretKeyRef.name)).toContain(v.valueFrom.secretKeyRef.key);
      env[v.name] = 'a-secret-value-of-enough-length';
    } else if (v.valueFrom?.fieldRef) env[v.name] = '0';
    else env[v.name] = (v.value ?? '').replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? '');
  }
  return env;
}

describe.each(cases)('%s: workload %s', (dir, name) => {
  const get = () => workloads(dir).find((w) => w.metadata.name === name);
  const container = () => get()?.spec.template.spec.containers[0] as Container;
  const serveArgs = () => {
    const [command, ...rest] = container().args;
    expect(command).toBe('serve');
    const parsed = parseServeArgs(rest, {});
    if ('error' in parsed) throw new Error(`fhpa serve refuses the manifest's args: ${parsed.error}`);
    return parsed as ServeArgs;
  };
  const probePort = (p: Probe) =>
    typeof p.httpGet.port === 'number'
      ? p.httpGet.port
      : container().ports.find((x) => x.name === p.httpGet.port)?.containerPort;

  it('is there', () => {
    expect(get()).toBeDefined();
  });
  it("runs the Dockerfile's image as its user, on a read-only root filesystem", () => {
    expect(container().image).toBe(`fhpa:${VERSION}`);
    expect(get()?.spec.template.spec.securityContext.runAsUser).toBe(Number(USER));
    expect(container().securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('passes args `fhpa serve` accepts, on the port the probes use, TLS where they use HTTPS', () => {
    const args = serveArgs();
    for (const probe of [container().readinessProbe, container().livenessProbe]) {
      expect(probePort(probe)).toBe(args.port);
      expect(probe.httpGet.scheme === 'HTTPS').toBe(args.tls !== undefined);
    }
  });

  it('probes routes the app serves', async () => {
    for (const probe of [container().readinessProbe, container().livenessProbe]) {
      expect((await app.request(probe.httpGet.path)).status, probe.httpGet.path).toBe(200);
    }
  });

  it('names only FHPA_* variables the configuration knows, with values it accepts', () => {
    const env = environment(dir, container());
    const named = Object.keys(env).filter((k) => k.startsWith('FHPA_'));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((k) => !KNOWN_VARIABLES.has(k))).toEqual([]);
    expect(() => parseEnv(env)).not.toThrow();
    expect(() => parseStoreConfig(env)).not.toThrow();
    // Both store overlays choose their store explicitly.
    expect(env.FHPA_STORE).toBe(dir.endsWith('embedded') ? 'embedded' : 'dynamodb');
  });

  it('mounts, from Secrets of the documented shape, every file its args and variables name', () => {
    const spec = get()?.spec.template.spec as PodSpec;
    const env = environment(dir, container());
    const args = serveArgs();
    const files = [args.tls?.certFile, args.tls?.keyFile, env.FHPA_KUBECONFIG].filter(
      (f): f is string => f !== undefined,
    );
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const mount = container().volumeMounts?.find((m) => posix.dirname(file) === m.mountPath);
      const secret = spec.volumes?.find((v) => v.name === mount?.name)?.secret?.secretName;
      expect(secret, file).toBeDefined();
      expect(secretKeys(secret as string)).toContain(posix.basename(file));
    }
  });
});

describe.each(OVERLAYS)('%s', (dir) => {
  const deployment = () => workloads(dir).find((w) => w.metadata.name === 'fhpa') as Workload;

  it('has a Service whose port reaches the webhook and receiver container', () => {
    const [service] = of(dir, 'Service') as (KObject & {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    })[];
    expect(service?.metadata).toMatchObject({ name: 'fhpa', namespace: 'karmada-system' });
    expect(deployment().spec.template.metadata.labels).toMatchObject(service?.spec.selector ?? { none: '' });
    const target = service?.spec.ports[0]?.targetPort;
    expect(deployment().spec.template.spec.containers[0]?.ports.map((p) => p.name)).toContain(target);
  });

  it('has a PodDisruptionBudget and a NetworkPolicy for its pods, letting in only the API server and Alertmanager', () => {
    const labels = deployment().spec.template.metadata.labels;
    const [pdb] = of(dir, 'PodDisruptionBudget') as (KObject & {
      spec: { selector: { matchLabels: object } };
    })[];
    expect(labels).toMatchObject(pdb?.spec.selector.matchLabels ?? { none: '' });
    const policy = (
      of(dir, 'NetworkPolicy') as (KObject & {
        spec: {
          podSelector: { matchLabels: object };
          policyTypes: string[];
          ingress: {
            from: Record<string, { matchLabels: Record<string, string> }>[];
            ports: { port: number }[];
          }[];
        };
      })[]
    ).find((p) => p.metadata.name === 'fhpa');
    expect(labels).toMatchObject(policy?.spec.podSelector.matchLabels ?? { none: '' });
    expect(policy?.spec.policyTypes).toEqual(['Ingress']);
    expect(policy?.spec.ingress).toHaveLength(1);
    const rule = policy?.spec.ingress[0];
    expect(rule?.ports.map((p) => p.port)).toEqual(
      deployment().spec.template.spec.containers[0]?.ports.map((p) => p.containerPort),
    );
    expect(rule?.from.map((peer) => Object.values(peer.podSelector?.matchLabels ?? {}))).toEqual([
      ['karmada-apiserver'],
      ['alertmanager'],
    ]);
  });

  it("serves every webhook the Karmada part registers, on the Service's port and a real path", async () => {
    const [service] = of(dir, 'Service') as (KObject & { spec: { ports: { port: number }[] } })[];
    const [config] = of('infra/karmada', 'ValidatingWebhookConfiguration') as (KObject & {
      webhooks: {
        rules: { resources: string[] }[];
        clientConfig: { service: { name: string; namespace: string; port: number; path: string } };
      }[];
    })[];
    expect(config?.webhooks.length).toBe(2);
    for (const hook of config?.webhooks ?? []) {
      const ref = hook.clientConfig.service;
      expect(ref).toMatchObject({ name: service?.metadata.name, namespace: service?.metadata.namespace });
      expect(service?.spec.ports.map((p) => p.port)).toContain(ref.port);
      const kind = hook.rules[0]?.resources[0] === 'cronfederatedhpas' ? 'CronFederatedHPA' : 'FederatedHPA';
      const res = await app.request(ref.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(admissionReview(kind, {}, 'kustomize-uid')),
      });
      expect(res.status, ref.path).toBe(200);
      expect(await res.json()).toMatchObject({ response: { uid: 'kustomize-uid' } });
    }
  });
});

describe.each(OVERLAYS)('%s: NetworkPolicies', (dir) => {
  it('select every pod the overlay runs, and let nothing reach the sweepers', () => {
    const policies = of(dir, 'NetworkPolicy') as (KObject & {
      spec: { podSelector: { matchLabels: Record<string, string> }; ingress?: unknown[] };
    })[];
    for (const w of workloads(dir)) {
      const labels = w.spec.template.metadata.labels;
      const covering = policies.filter((p) =>
        Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v),
      );
      expect(
        covering.map((p) => p.metadata.name),
        w.metadata.name,
      ).toEqual([w.metadata.name]);
      if (w.metadata.name === 'fhpa-sweep') expect(covering[0]?.spec.ingress ?? []).toEqual([]);
    }
  });
});

describe('the leased sweep (DynamoDB overlay)', () => {
  it('has several sweepers share the FederatedHPAs through leases, with no shard to keep in step', () => {
    const [sweep] = of('infra/k8s/overlays/dynamodb', 'StatefulSet') as Workload[];
    expect(sweep?.spec.replicas).toBeGreaterThan(1);
    const container = sweep?.spec.template.spec.containers[0];
    const env = Object.fromEntries(
      (container?.env ?? []).filter((v) => v.value).map((v) => [v.name, v.value!]),
    );
    expect(env.FHPA_SWEEP_SHARD).toBeUndefined();
    expect(leaseOptionsFrom(parseEnv(env))).toMatchObject({ partitions: 32 });
    expect(parseServeArgs(container?.args.slice(1) ?? [], {})).toMatchObject({ sweep: true });
    // The leases live in the history table: the sweepers read the DynamoDB settings.
    expect(container?.envFrom?.some((e) => e.configMapRef?.name.startsWith('fhpa-dynamodb'))).toBe(true);
  });
});

describe('Prometheus scrape jobs (infra/prometheus/prometheus.yaml)', () => {
  const config = parseAllDocuments(read('infra/prometheus/prometheus.yaml'))[0]?.toJSON() as {
    scrape_configs: Array<{
      job_name: string;
      scheme?: string;
      relabel_configs: Array<{ source_labels?: string[]; regex?: string; action?: string }>;
    }>;
  };
  const keeps = (job: (typeof config.scrape_configs)[number], label: string) =>
    job.relabel_configs.find((r) => r.action === 'keep' && r.source_labels?.[0] === label)?.regex;

  it.each([
    ['infra/k8s/overlays/dynamodb', 'fhpa', 'https'],
    ['infra/k8s/overlays/dynamodb', 'fhpa-sweep', 'http'],
  ])('%s: job %s keeps its pods, on a port the container serves with scheme %s', (dir, name, scheme) => {
    const job = config.scrape_configs.find((j) => j.job_name === name);
    const w = workloads(dir).find((x) => x.metadata.name === name);
    expect(job, name).toBeDefined();
    expect(w, name).toBeDefined();
    expect(keeps(job!, '__meta_kubernetes_pod_label_app')).toBe(w?.spec.template.metadata.labels.app);
    const port = keeps(job!, '__meta_kubernetes_pod_container_port_name');
    expect(w?.spec.template.spec.containers[0]?.ports.map((p) => p.name)).toContain(port);
    expect(job?.scheme ?? 'http').toBe(scheme);
  });
});
