import type { FederatedHPA } from '../../src/api/federatedhpa.ts';

/** The seed walkthrough's FederatedHPA (Karmada "FederatedHPA scaling on custom metrics"), as applied there. */
export function seedFederatedHPA(overrides: Partial<FederatedHPA['spec']> = {}): FederatedHPA {
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
      ...overrides,
    },
  };
}
