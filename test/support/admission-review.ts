// An AdmissionReview as the Karmada API server sends it for a CREATE of a FederatedHPA or CronFederatedHPA.
const GROUP = 'autoscaling.karmada.io';

export function admissionReview(kind: 'FederatedHPA' | 'CronFederatedHPA', spec: unknown, uid: string) {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group: GROUP, version: 'v1alpha1', kind },
      resource: { group: GROUP, version: 'v1alpha1', resource: `${kind.toLowerCase()}s` },
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'admin' },
      object: {
        apiVersion: `${GROUP}/v1alpha1`,
        kind,
        metadata: { name: 'sample-app', namespace: 'default' },
        spec,
      },
    },
  };
}
