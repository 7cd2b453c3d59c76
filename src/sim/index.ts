import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createSimulatorApp } from './app.ts';
import type { SimClock } from './clock.ts';
import type { FaultInjector } from './faults.ts';
import type { Load } from './load-model.ts';
import type { WorkloadKind } from './members.ts';
import type { KObject } from './object-store.ts';
import type { Counters, RequestLogEntry, ScaleWrite } from './observers.ts';
import {
  applyCronFederatedHPA,
  applyDeployment,
  applyFederatedHPA,
  applyManifests,
  applyPropagationPolicy,
  applyWalkthrough,
  type DeploymentInput,
  type PropagationPolicyInput,
} from './setup.ts';
import { SimState, type SimulatorOptions } from './state.ts';

// The simulated Karmada control plane as a module: startSimulator() serves it on 127.0.0.1 (a free
// port) with @hono/node-server; createSimulatorApp() + SimState give the same thing in-process.

export { createSimulatorApp } from './app.ts';
export type { FaultCounts, FaultRule } from './faults.ts';
export type { Load } from './load-model.ts';
export type { ExternalMetricValue } from './metric-inputs.ts';
export { QUERY_FROM_CLUSTER } from './metrics-routes.ts';
export type { RequestLogEntry, ScaleWrite } from './observers.ts';
export { PERMANENT_ID_LABEL } from './propagation.ts';
export type { DeploymentInput, PropagationPolicyInput } from './setup.ts';
export { deploymentManifest } from './setup.ts';
export { SimState, type SimulatorOptions } from './state.ts';

export interface Simulator {
  /** Base URL of the API server, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  token: string;
  clock: SimClock;
  state: SimState;
  faults: FaultInjector;
  app: Hono;
  requestLog: readonly RequestLogEntry[];
  counters: Counters;
  applyDeployment(input: DeploymentInput): KObject;
  applyPropagationPolicy(input: PropagationPolicyInput): KObject;
  applyFederatedHPA(obj: Parameters<typeof applyFederatedHPA>[1]): KObject;
  applyCronFederatedHPA(obj: Parameters<typeof applyCronFederatedHPA>[1]): KObject;
  /** Any stored kind, e.g. the ClusterRoles and bindings of infra/karmada/rbac.yaml. */
  applyManifests(docs: readonly KObject[]): KObject[];
  /** ClusterRoles and ClusterRoleBindings in the members (all unless named), for RBAC mode. */
  applyMemberRbac(docs: readonly KObject[], clusters?: string[]): void;
  /** A token for a service account of the Karmada API server (`kubectl create token`). */
  serviceAccountToken(namespace: string, name: string): string;
  /** The seed walkthrough: sample-app (1 replica) on member1 and member2 at static weights 1:1. */
  applyWalkthrough(): { deployment: KObject; policy: KObject };
  setLoad(namespace: string, workload: string, load: Partial<Load> & { rps: number }): void;
  setExternalMetric(namespace: string, metric: string, value: number, labels?: Record<string, string>): void;
  setClusterReady(name: string, ready: boolean): void;
  /** The member's API server stops (or resumes) answering; its Cluster stays Ready for Karmada's failure threshold. */
  setMemberDown(name: string, down: boolean): void;
  memberReplicas(namespace: string, name: string, kind?: WorkloadKind): Record<string, number>;
  onScaleWrite(listener: (w: ScaleWrite) => void): () => void;
  /** Every response body the server sends, as text (benchmarks' CPU floor). */
  tapResponses(listener: (body: string) => void): () => void;
  close(): Promise<void>;
}

/** The setup helpers and observers over a state, shared by the served and the in-process forms. */
function facade(state: SimState) {
  return {
    clock: state.clock,
    state,
    faults: state.faults,
    get requestLog() {
      return state.requestLog;
    },
    counters: state.counters,
    applyDeployment: (input: DeploymentInput) => applyDeployment(state, input),
    applyPropagationPolicy: (input: PropagationPolicyInput) => applyPropagationPolicy(state, input),
    applyFederatedHPA: (obj: Parameters<typeof applyFederatedHPA>[1]) => applyFederatedHPA(state, obj),
    applyCronFederatedHPA: (obj: Parameters<typeof applyCronFederatedHPA>[1]) =>
      applyCronFederatedHPA(state, obj),
    applyWalkthrough: () => applyWalkthrough(state),
    applyManifests: (docs: readonly KObject[]) => applyManifests(state, docs),
    applyMemberRbac: (docs: readonly KObject[], clusters?: string[]) => state.applyMemberRbac(docs, clusters),
    serviceAccountToken: (namespace: string, name: string) => state.serviceAccountToken(namespace, name),
    setLoad: (ns: string, workload: string, load: Partial<Load> & { rps: number }) =>
      state.setLoad(ns, workload, load),
    setExternalMetric: (ns: string, metric: string, value: number, labels?: Record<string, string>) =>
      state.setExternalMetric(ns, metric, value, labels),
    setMemberDown: (name: string, down: boolean) => state.setMemberDown(name, down),
    setClusterReady: (name: string, ready: boolean) => {
      state.setClusterReady(name, ready);
    },
    memberReplicas: (ns: string, name: string, kind?: WorkloadKind) => state.memberReplicas(ns, name, kind),
    onScaleWrite: (listener: (w: ScaleWrite) => void) => state.onScaleWrite(listener),
    tapResponses: (listener: (body: string) => void) => state.tapResponses(listener),
  };
}

export interface ListenOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Serve HTTPS with this PEM certificate and key (kubectl sends a bearer token only over TLS). */
  tls?: { cert: string; key: string };
}

/** Starts the simulated control plane on 127.0.0.1 (a free port unless `listen.port` says which). */
export async function startSimulator(
  opts: SimulatorOptions = {},
  listen: ListenOptions = {},
): Promise<Simulator> {
  const state = new SimState(opts);
  const app = createSimulatorApp(state);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: '127.0.0.1',
        port: listen.port ?? 0,
        ...(listen.tls ? { createServer: createHttpsServer, serverOptions: listen.tls } : {}),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    ...facade(state),
    url: `${listen.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    token: state.token,
    app,
    close() {
      closed ??= new Promise<void>((resolve) => {
        // Hanging requests are answered first, then idle keep-alive sockets are dropped so close() ends.
        state.faults.releaseHangs();
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      return closed;
    },
  };
}
