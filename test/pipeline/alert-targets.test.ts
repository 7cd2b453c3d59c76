import { describe, expect, it } from 'vitest';
import { alertTarget } from '../../src/pipeline/alert-targets.ts';

const alert = (labels: Record<string, string>) => ({ status: 'firing' as const, labels });

describe('alertTarget', () => {
  it.each([
    [
      { federatedhpa: 'sample-app', namespace: 'default' },
      { kind: 'fhpa', namespace: 'default', name: 'sample-app' },
    ],
    [
      { federatedhpa: 'x', namespace: 'a', federatedhpa_namespace: 'b' },
      { kind: 'fhpa', namespace: 'b', name: 'x' },
    ],
    [
      { deployment: 'web', namespace: 'shop' },
      { kind: 'workload', namespace: 'shop', workloadKind: 'Deployment', workload: 'web' },
    ],
    [
      { statefulset: 'db', namespace: 'shop' },
      { kind: 'workload', namespace: 'shop', workloadKind: 'StatefulSet', workload: 'db' },
    ],
    [
      { workload: 'w', workload_kind: 'CloneSet', namespace: 'n' },
      { kind: 'workload', namespace: 'n', workloadKind: 'CloneSet', workload: 'w' },
    ],
  ])('%j → %j', (labels, want) => {
    expect(alertTarget(alert(labels))).toEqual(want);
  });

  it.each([
    [{ federatedhpa: 'x' }, 'label "federatedhpa" is set but "namespace" is missing'],
    [{ deployment: 'web' }, 'workload label names "web" but "namespace" is missing'],
    [{ alertname: 'HighLoad' }, 'no target labels'],
  ])('%j is not a target: %s', (labels, message) => {
    const t = alertTarget(alert(labels));
    expect(t.kind).toBe('none');
    expect(t.kind === 'none' && t.message).toContain(message);
  });

  // Issue 18.2: labels reach Karmada API paths, so each is checked as the name it must be.
  it.each([
    [{ federatedhpa: 'x', namespace: '..' }, 'label "namespace" ".." is not a namespace'],
    [
      { federatedhpa: 'x', federatedhpa_namespace: 'a/b', namespace: 'ok' },
      'label "federatedhpa_namespace" "a/b"',
    ],
    [
      { federatedhpa: '../secrets', namespace: 'default' },
      'label "federatedhpa" "../secrets" is not a Kubernetes object name',
    ],
    [{ federatedhpa: 'a'.repeat(300), namespace: 'default' }, 'must be no more than 253 characters'],
    [
      { deployment: 'Web_App', namespace: 'shop' },
      'label "deployment" "Web_App" is not a Kubernetes object name',
    ],
    [{ statefulset: 'db%2F..', namespace: 'shop' }, 'label "statefulset"'],
    [
      { workload: 'w', workload_kind: '../pods', namespace: 'n' },
      'label "workload_kind" "../pods" is not a Kind',
    ],
    [{ deployment: 'web', namespace: 'x'.repeat(5000) }, `"${'x'.repeat(64)}…" is not a namespace`],
  ])('%j is refused before any call: %s', (labels, message) => {
    const t = alertTarget(alert(labels));
    expect(t.kind).toBe('none');
    expect(t.kind === 'none' && t.message).toContain(message);
  });
});
