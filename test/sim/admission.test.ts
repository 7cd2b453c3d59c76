import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { admissionRoutes } from '../../src/app/admission.ts';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/sim/index.ts';
import { seedFederatedHPA } from '../support/seed.ts';

// FederatedHPAs written to the simulated Karmada API server go through Karmada's own webhooks as Karmada ships
// them (pkg/webhook/federatedhpa: mutating drops behavior.*.tolerance, validating refuses External), then
// fhpa's validating webhook, served here over loopback HTTP as infra/karmada/validating-webhook.yaml
// registers it. With Karmada's entries removed (federatedHPAWebhooks: 'fhpa'), fhpa's features get through.

const FHPAS = '/apis/autoscaling.karmada.io/v1alpha1/namespaces/default/federatedhpas';
const external = {
  type: 'External',
  external: { metric: { name: 'queue_depth' }, target: { type: 'Value', value: '10' } },
};
const withTolerance = { scaleUp: { stabilizationWindowSeconds: 0, tolerance: '0.05' } };

let webhook: ReturnType<typeof serve>;
let webhookUrl: string;
beforeAll(async () => {
  const app = admissionRoutes();
  webhook = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/validate-federatedhpa`;
});
afterAll(() => new Promise<void>((resolve) => webhook.close(() => resolve())));

async function withSim(opts: SimulatorOptions, body: (sim: Simulator) => Promise<void>) {
  const sim = await startSimulator({
    ...opts,
    fhpaWebhookUrl: webhookUrl,
    ...(opts.fhpaWebhookUrl === '' ? { fhpaWebhookUrl: undefined } : {}),
  });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}
interface Stored {
  message?: string;
  metadata: { annotations: Record<string, string> };
  spec: { metrics: { type: string }[]; behavior: Record<string, Record<string, unknown>> };
}
const post = (sim: Simulator, obj: unknown) =>
  fetch(`${sim.url}${FHPAS}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(obj),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Stored }));

describe("a stock Karmada (its FederatedHPA webhooks installed) with fhpa's webhook beside them", () => {
  it("refuses External metrics in Karmada's validating webhook", async () => {
    await withSim({}, async (sim) => {
      const r = await post(sim, seedFederatedHPA({ metrics: [external] as never }));
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        'admission webhook "federatedhpa.karmada.io" denied the request: spec.metrics[0].type: Unsupported value: "External": supported values: "ContainerResource", "Object", "Pods", "Resource"',
      );
    });
  });

  it('stores behavior defaulted and without tolerance (the mutating webhook rebuilds it)', async () => {
    await withSim({}, async (sim) => {
      const r = await post(sim, seedFederatedHPA({ behavior: withTolerance as never }));
      expect(r.status).toBe(201);
      expect(r.body.spec.behavior.scaleUp).toEqual({
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      });
      expect(r.body.spec.behavior.scaleDown).toEqual({
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      });
    });
  });

  it("then asks fhpa's webhook, whose refusal is the answer", async () => {
    await withSim({}, async (sim) => {
      const fhpa = seedFederatedHPA();
      fhpa.metadata.annotations = { 'autoscaling.fhpa.io/mode': 'sideways' };
      const r = await post(sim, fhpa);
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(
        /^admission webhook "federatedhpa\.fhpa\.autoscaling\.karmada\.io" denied the request: metadata\.annotations\[autoscaling\.fhpa\.io\/mode\]/,
      );
    });
  });

  it('admits the scale-to-zero example (Object metric + fhpa annotations) through both', async () => {
    await withSim({}, async (sim) => {
      const doc = parse(
        readFileSync(new URL('../../examples/federatedhpa-scale-to-zero.yaml', import.meta.url), 'utf8'),
      );
      const r = await post(sim, doc);
      expect(r.status).toBe(201);
      expect(r.body.metadata.annotations['autoscaling.fhpa.io/scale-to-zero-after']).toBe('60s');
    });
  });
});

describe("Karmada's FederatedHPA webhooks replaced by fhpa's", () => {
  it('admits External metrics and keeps tolerance', async () => {
    await withSim({ federatedHPAWebhooks: 'fhpa' }, async (sim) => {
      const r = await post(
        sim,
        seedFederatedHPA({ metrics: [external] as never, behavior: withTolerance as never }),
      );
      expect(r.status).toBe(201);
      expect(r.body.spec.metrics[0]?.type).toBe('External');
      expect(r.body.spec.behavior.scaleUp?.tolerance).toBe('0.05');
    });
  });
});
