import type { FederatedHPA } from '../api/federatedhpa.ts';

// The seed walkthrough (shared/seeds/000: Karmada's "FederatedHPA scaling on custom metrics") as data: the
// workload and its placement, the FederatedHPA, the load `hey` drives, and the triggers' timing. The demo
// replays exactly this; `fhpa simulate` reuses the workload, placement and timing with any spec and trace.

export interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: 'Deployment' | 'StatefulSet';
  /** The Deployment's spec.replicas when applied. */
  replicas: number;
  /** Member clusters, in the PropagationPolicy's static weight list, each weight 1 (the seed's 1:1). */
  clusters: readonly string[];
}

/** Deployment sample-app (1 replica) and PropagationPolicy app-propagation: member1 and member2, 1:1. */
export const SEED_WORKLOAD: WorkloadSpec = {
  namespace: 'default',
  name: 'sample-app',
  kind: 'Deployment',
  replicas: 1,
  clusters: ['member1', 'member2'],
};

/** The walkthrough's FederatedHPA, as applied there. */
export function seedFederatedHPA(): FederatedHPA {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'FederatedHPA',
    metadata: { name: 'sample-app', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
      minReplicas: 1,
      maxReplicas: 10,
      behavior: {
        scaleDown: { stabilizationWindowSeconds: 10 },
        scaleUp: { stabilizationWindowSeconds: 10 },
      },
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'http_requests' }, target: { type: 'Value', averageValue: '700m' } },
        },
      ],
    },
  };
}

export interface LoadStep {
  /** Requests per second through the multi-cluster Service while the load runs. */
  rps: number;
  /** Requests per second before and after (Prometheus' own scrapes of /metrics). */
  idleRps: number;
  /** Seconds after the FederatedHPA is created that the load starts. */
  startSecond: number;
  /** How long it runs. */
  seconds: number;
}

/**
 * `hey -c 1000 -z 1m` through the multi-cluster Service. Any rate above 10 × 700m = 7 req/s needs the maximum
 * of 10 pods; 20 req/s keeps the per-pod rate above target even at 10 pods (2 req/s each), as the saturating
 * `hey` run did. At rest the walkthrough's `kubectl get --raw` shows 66m per pod: Prometheus' own scrapes.
 * The load starts 20 s in, so the timeline first shows a quiet sweep.
 */
export const SEED_LOAD: LoadStep = { rps: 20, idleRps: 0.066, startSecond: 20, seconds: 60 };

export interface Timing {
  /** The scheduled trigger (POST /sweep): Karmada's FederatedHPA controller syncs every 15 s. */
  sweepSeconds: number;
  /** Prometheus rule evaluation interval (infra/alertmanager/prometheusrule.yaml: `interval: 10s`). */
  ruleSeconds: number;
  /** Alertmanager's group_interval for the fhpa route (infra/alertmanager/alertmanager.yaml: 5s). */
  groupIntervalSeconds: number;
  /** One step of the driver: how often replicas are sampled and the clock moves. */
  stepSeconds: number;
}

export const SEED_TIMING: Timing = {
  sweepSeconds: 15,
  ruleSeconds: 10,
  groupIntervalSeconds: 5,
  stepSeconds: 1,
};
