import type { Simulator } from '../../src/sim/index.ts';

// A minimal client for the simulator's REST API over real HTTP, as the specs use it: every call carries
// the bearer token unless told otherwise, and answers are parsed JSON with status and headers.

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: specs read arbitrary JSON field paths
  body: any;
}

const TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export function client(sim: Simulator, token: string | null = sim.token) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    signal?: AbortSignal,
  ): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path: string, signal?: AbortSignal) => call('GET', path, undefined, undefined, signal),
    post: (path: string, body: unknown) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    patch: (path: string, body: unknown, type: keyof typeof TYPES | string = 'merge') =>
      call('PATCH', path, body, type in TYPES ? TYPES[type as keyof typeof TYPES] : type),
    delete: (path: string, body?: unknown) => call('DELETE', path, body),
  };
}

export const FHPA_PATH = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas';
export const SCALE_PATH = '/apis/apps/v1/namespaces/default/deployments/sample-app/scale';

/** The seed walkthrough's FederatedHPA (http_requests, averageValue 700m, 1..10). */
export function sampleFHPA(name = 'sample-app', namespace = 'default') {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1' as const,
    kind: 'FederatedHPA' as const,
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'sample-app' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Pods',
          pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '700m' } },
        },
      ],
    },
  };
}
