import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { admissionRoutes } from '../../src/app/admission.ts';
import { validate } from '../../src/cli/validate.ts';
import { renderAggregate, renderError } from '../../src/validation/field-error.ts';
import { type ValidatedKind, validateObject } from '../../src/validation/validate-object.ts';
import { memoryIO } from '../support/memory-io.ts';

// Karmada's validation tests, ported as data (test/fixtures/validation/*.json; each case cites its source).
// The same cases run through the three ways in: the shared validator, the admission webhook and the CLI.

interface Case {
  source: string;
  name: string;
  kind: ValidatedKind;
  object: Record<string, unknown>;
  errors: string[];
  admittedErrors?: string[];
}

const load = (file: string): Case[] =>
  JSON.parse(readFileSync(new URL(`../fixtures/validation/${file}`, import.meta.url), 'utf8')).cases;
const cases = [...load('karmada-federatedhpa.json'), ...load('karmada-cronfederatedhpa.json')];
const NOW = Date.parse('2026-01-01T00:00:00Z');
const aggregate = (errs: string[]) => (errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);

describe('Karmada validation cases', () => {
  it('ports all 102 upstream cases', () => {
    expect(cases.length).toBe(102);
    for (const c of cases) expect(c.source).toMatch(/^karmada-io\/karmada\/pkg\/.+_test\.go#Test\w+\/.+/);
  });

  it.each(cases.map((c) => [c.source, c] as const))('%s', (_source, c) => {
    const result = validateObject(c.kind, c.object, { raw: true, now: NOW });
    expect([...new Set(result.errors.map(renderError))]).toEqual(c.errors);
    if (c.errors.length > 0) expect(renderAggregate(result.errors)).toBe(aggregate(c.errors));
  });

  it('refuses the same cases through the admission webhook, after Karmada-style defaulting', async () => {
    const app = admissionRoutes({ now: () => NOW });
    for (const [i, c] of cases.entries()) {
      const res = await app.request('/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: 'admission.k8s.io/v1',
          kind: 'AdmissionReview',
          request: {
            uid: `uid-${i}`,
            kind: { group: 'autoscaling.karmada.io', version: 'v1alpha1', kind: c.kind },
            resource: {
              group: 'autoscaling.karmada.io',
              version: 'v1alpha1',
              resource: `${c.kind.toLowerCase()}s`,
            },
            operation: 'CREATE',
            object: c.object,
          },
        }),
      });
      expect(res.status).toBe(200);
      const { response } = (await res.json()) as {
        response: { uid: string; allowed: boolean; status: { message?: string } };
      };
      const expected = c.admittedErrors ?? c.errors;
      expect(response.uid, c.name).toBe(`uid-${i}`);
      expect(response.allowed, c.name).toBe(expected.length === 0);
      if (expected.length > 0) expect(response.status.message, c.name).toBe(aggregate(expected));
    }
  });

  it('reports the same errors through `fhpa validate --raw -o json`', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: cases.map((c) => c.object) };
    const { io, out } = memoryIO('', { 'cases.json': JSON.stringify(list) });
    const code = await validate(['--raw', '-o', 'json', 'cases.json'], io);
    expect(code).toBe(1);
    const entries = JSON.parse(out.join('')) as {
      valid: boolean;
      errors: { field: string; message: string }[];
    }[];
    expect(entries).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      // Like kubectl, the CLI gives an object without a namespace the default one ("default").
      const expected = c.name === 'missing namespace' ? [] : c.errors;
      const got = [...new Set(entries[i]?.errors.map((e) => `${e.field}: ${e.message}`))];
      expect(got, c.name).toEqual(expected);
      expect(entries[i]?.valid).toBe(expected.length === 0);
    }
  });
});
