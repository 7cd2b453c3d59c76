import { ADMISSION_PATHS } from '../app/admission.ts';
import { PipelineMetrics } from '../app/prometheus.ts';
import { nodeTransport } from '../karmada/node-transport.ts';
import type { Logger } from '../log.ts';
import { closeOnSignals, type RunningServer, startNodeServer } from '../node-server.ts';
import { runScheduled } from '../pipeline/scheduled.ts';
import { sdkConnector } from '../store/connect-sdk.ts';
import { nodeConnection } from './node-connection.ts';
import { leaseKeeperFor, startLeaseKeeper } from './node-leases.ts';
import { createRuntime, type Runtime } from './runtime.ts';

export interface NodeServeOptions {
  rawEnv: Record<string, string | undefined>;
  port: number;
  host?: string;
  tls?: { certFile: string; keyFile: string };
  /** Run the scheduled trigger in-process every FHPA_SWEEP_INTERVAL (a long-running server has no cron). */
  sweep?: boolean;
  /** Install SIGTERM/SIGINT handlers (the CLI and functions/node.ts do; tests do not). */
  signals?: boolean;
  clock?: () => number;
  /** Where logs go (default: JSON lines on stdout at FHPA_LOG_LEVEL). */
  log?: Logger;
}

export interface NodeHandle {
  runtime: Runtime;
  server: RunningServer;
  metrics: PipelineMetrics;
  close(): Promise<void>;
}

// The Node server: the same app as Workers and Lambda, plus TLS for the admission webhook, Prometheus
// metrics on /metrics, and the sweep loop a long-running process can afford.
export async function serveNode(opts: NodeServeOptions): Promise<NodeHandle> {
  const metrics = new PipelineMetrics();
  const runtime = await createRuntime({
    rawEnv: opts.rawEnv,
    connection: nodeConnection,
    transport: nodeTransport(),
    dynamo: sdkConnector,
    metrics,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  // With FHPA_SWEEP_LEASES, replicas share the sweep: each evaluates the partitions it leases, in its loop and
  // on POST /sweep alike (runtime.sweepScope), from before the server answers.
  const keeper = opts.sweep ? leaseKeeperFor(runtime, metrics) : undefined;
  const server = await startNodeServer({
    app: runtime.app,
    port: opts.port,
    log: runtime.log,
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.tls ? { tls: opts.tls } : {}),
    ...(runtime.env.FHPA_ADMISSION_CLIENT_CA
      ? { clientCert: { caFile: runtime.env.FHPA_ADMISSION_CLIENT_CA, paths: ADMISSION_PATHS } }
      : {}),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  if (keeper) await startLeaseKeeper(keeper, runtime);
  if (opts.sweep) {
    // setTimeout after each run, not setInterval: a slow sweep is never overlapped by the next one.
    const loop = async () => {
      if (stopped) return;
      try {
        // Refused only with FHPA_SWEEP_LEASES and a store that keeps no leases; every store here keeps them.
        const scope = runtime.sweepScope();
        if (scope.refused !== undefined) throw new Error(scope.refused);
        await runScheduled(runtime.deps, scope.options);
      } catch (err) {
        runtime.log.error('sweep failed', { error: err instanceof Error ? err.message : String(err) });
      }
      if (!stopped) timer = setTimeout(loop, runtime.env.FHPA_SWEEP_INTERVAL);
    };
    timer = setTimeout(loop, 0);
  }
  // Stops the sweep loop and hands the leases back, so the other replicas take over in their next round.
  const stop = async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await keeper?.release();
  };
  if (opts.signals) closeOnSignals(server, runtime.log, stop);
  return {
    runtime,
    server,
    metrics,
    close: async () => {
      await stop();
      await server.close();
      runtime.deps.store.close?.();
    },
  };
}
