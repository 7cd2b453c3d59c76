import type { Hono } from 'hono';
import { json } from './http.ts';
import { notFound } from './k8s-status.ts';

// Core v1 pods on the Karmada API server. karmada-apiserver is a kube-apiserver, so it serves the pods
// resource, but nothing schedules or runs pods on the control plane: `kubectl get pods` answers "No resources
// found" (members' pods are read through the cluster proxy, proxy-routes.ts). Serving it also keeps kubectl
// from resolving `pods` to metrics.k8s.io's PodMetrics, the only other `pods` in discovery. Read-only here:
// the simulator's simplification (a real API server would store a pod nobody runs).

export const CONTROL_PLANE_PODS = {
  name: 'pods',
  singularName: 'pod',
  namespaced: true,
  kind: 'Pod',
  verbs: ['get', 'list'],
  shortNames: ['po'],
};

export function mountControlPlanePods(app: Hono, resourceVersion: () => string): void {
  const list = () =>
    json({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: resourceVersion() }, items: [] });
  app.get('/api/v1/pods', list);
  app.get('/api/v1/namespaces/:namespace/pods', list);
  app.get('/api/v1/namespaces/:namespace/pods/:name', (c) => {
    throw notFound({ resource: 'pods', group: '', name: c.req.param('name') });
  });
}
