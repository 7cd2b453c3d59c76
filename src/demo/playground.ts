import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { connectionFromKubeconfig } from '../karmada/kubeconfig.ts';
import { nodeTransport } from '../karmada/node-transport.ts';
import { type Simulator, startSimulator } from '../sim/index.ts';
import { loopbackCertificates } from '../sim/tls.ts';
import { SEED_WORKLOAD, seedFederatedHPA } from './scenario.ts';

// The playground behind `fhpa sim`: the simulated control plane on the wall clock, over HTTPS on 127.0.0.1,
// with the walkthrough's federation, and a kubeconfig for it that kubectl and fhpa serve both read.

export const PLAYGROUND_CONTEXT = 'karmada-apiserver';

export interface PlaygroundOptions {
  port: number;
  kubeconfig: string;
  /** Member clusters only: no workload, policy or FederatedHPA. */
  empty: boolean;
}

export interface Playground {
  url: string;
  sim: Simulator;
  close(): Promise<void>;
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground | { error: string }> {
  const tls = await loopbackCertificates(new Date());
  let sim: Simulator;
  try {
    sim = await startSimulator(
      // Pods are ready the moment they are scheduled (Karmada's default is whatever the members take), so each
      // step of README "Try the server" shows its result at once.
      { clusters: [...SEED_WORKLOAD.clusters], clock: 'realtime', podStartupDelaySeconds: 0 },
      { port: opts.port, tls: { cert: tls.certPem, key: tls.keyPem } },
    );
  } catch (err) {
    return { error: listenError(err, opts.port) };
  }
  try {
    // Owner-only: it holds the token.
    await writeFile(opts.kubeconfig, kubeconfigYaml(sim.url, sim.token, tls.caPem), { mode: 0o600 });
  } catch (err) {
    await sim.close();
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    return { error: `--kubeconfig: cannot write ${opts.kubeconfig} (${reason})` };
  }
  if (!opts.empty) {
    // The walkthrough, as `kubectl apply` would leave it: sample-app at 1 replica on member1 and member2 at
    // static weights 1:1, and its FederatedHPA.
    sim.applyWalkthrough();
    sim.applyFederatedHPA(seedFederatedHPA());
  }
  return { url: sim.url, sim, close: () => sim.close() };
}

function listenError(err: unknown, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `--port: ${port} is already in use on 127.0.0.1`;
  if (code === 'EACCES') return `--port: not allowed to listen on ${port}`;
  return `cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`;
}

/** A kubeconfig as karmadactl writes one for the Karmada API server: context karmada-apiserver. */
export function kubeconfigYaml(server: string, token: string, caPem: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'karmada-apiserver',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: 'fhpa-sim-admin', user: { token } }],
    contexts: [
      { name: PLAYGROUND_CONTEXT, context: { cluster: 'karmada-apiserver', user: 'fhpa-sim-admin' } },
    ],
    'current-context': PLAYGROUND_CONTEXT,
  });
}

export interface LoadRequest {
  kubeconfig: string;
  namespace: string;
  workload: string;
  rps: number;
}

/** Sets a workload's request rate on a running playground through its admin route (POST /_sim/load). */
export async function setPlaygroundLoad(req: LoadRequest): Promise<{ message: string } | { error: string }> {
  let connection: Awaited<ReturnType<typeof connectionFromKubeconfig>>;
  try {
    connection = await connectionFromKubeconfig(req.kubeconfig, PLAYGROUND_CONTEXT);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      error: missing
        ? `no kubeconfig at ${req.kubeconfig}: start fhpa sim first (or pass its --kubeconfig)`
        : `${req.kubeconfig}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const send = nodeTransport({ connection });
  let res: Response;
  try {
    res = await send(
      new Request(`${connection.server}/_sim/load`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${connection.token ?? ''}`,
          'content-type': 'application/json',
          // One request: no keep-alive socket left holding the process open.
          connection: 'close',
        },
        body: JSON.stringify({ namespace: req.namespace, workload: req.workload, rps: req.rps }),
      }),
    );
  } catch (err) {
    return {
      error: `no playground answers at ${connection.server} (${(err as NodeJS.ErrnoException).code ?? err})`,
    };
  }
  const body = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok)
    return { error: `${connection.server} answered ${res.status}: ${body.message ?? res.statusText}` };
  return { message: `${req.namespace}/${req.workload}: ${req.rps} requests per second` };
}
