import { QUANTITY_PATTERN, timeSchema } from '../src/api/quantity-schema.ts';
import { createApp } from '../src/app/app.ts';
import { authorized } from '../src/app/auth.ts';
import { parseJsonText, pathDeeperThan } from '../src/app/json-body.ts';
import { isValidTimeZone, parseSchedule, trimBlanks } from '../src/cron/schedule.ts';
import { milliValue } from '../src/engine/quantity.ts';
import { alertTarget } from '../src/pipeline/alert-targets.ts';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isLabelValue,
  isQualifiedName,
  isValidPathSegmentName,
} from '../src/validation/names.ts';
import type { Benchmark, Figures } from './benchmark.ts';
import { measure, round } from './stats.ts';
import { admissionReview, cronFederatedHPA, federatedHPAFor } from './support/fixtures.ts';

// Issue 18.1, `parsers`: every parser and regex a request reaches without credentials (admission routes,
// the auth check) or on the alert path, timed on its worst input at growing sizes, called directly and
// without the schema caps in front of it. A linear parser takes about 4× as long for 4× the input; a
// quadratic one (the old schedule trim) 16×. Figures:
//   growthPer4x.NAME   how much longer 4× the input takes (geometric mean over sizes max/64 … max; the
//                      fastest of several calls at each size)
//   maxGrowthPer4x     the worst of them; `linear` is true when it stays under 8 (quadratic would be 16)
//   requestMs.FIELD    one whole AdmissionReview through the app (JSON, zod, caps, rules) whose FIELD is the
//                      hostile text, padded so the body is close to the 1 MiB limit: the bound per request
//   normalRequestMs    a valid review of the seed FederatedHPA, for scale
// Flags: --max=N largest input in characters (default 262144, 65536 with --quick).

type Case = [name: string, input: (n: number) => string, parse: (s: string) => unknown];

const CASES: Case[] = [
  ['schedule trim (blank runs)', (n) => `${' '.repeat(n / 2)}0${'\t'.repeat(n / 2)}`, trimBlanks],
  ['schedule parse (capped)', (n) => `0${' '.repeat(n)}x`, (s) => parseSchedule(s)],
  ['time zone', (n) => `Europe/${'a'.repeat(n)}`, isValidTimeZone],
  ['DNS-1123 subdomain (long label)', (n) => `${'a'.repeat(n)}!`, isDNS1123Subdomain],
  ['DNS-1123 subdomain (many labels)', (n) => `${'a.'.repeat(n / 2)}!`, isDNS1123Subdomain],
  ['DNS-1123 label (hyphens)', (n) => `${'a-'.repeat(n / 2)}-`, isDNS1123Label],
  ['label key', (n) => `${'a.'.repeat(n / 2)}-`, isQualifiedName],
  ['label value', (n) => `${'a_'.repeat(n / 2)}-`, isLabelValue],
  ['path segment name', (n) => `${'a'.repeat(n)}%`, isValidPathSegmentName],
  ['quantity pattern (digits)', (n) => `${'1'.repeat(n)}x`, (s) => QUANTITY_PATTERN.test(s)],
  ['quantity pattern (exponent)', (n) => `1e${'1'.repeat(n)}.`, (s) => QUANTITY_PATTERN.test(s)],
  ['quantity value (fraction)', (n) => `0.${'1'.repeat(n)}`, milliValue],
  ['timestamp', (n) => `2026-01-01T${'0'.repeat(n)}`, (s) => timeSchema.safeParse(s)],
  [
    'JSON body (wide array)',
    (n) => `[${'[1],'.repeat(n / 4)}1]`,
    (s) => {
      const j = parseJsonText(s);
      return j.ok ? pathDeeperThan(j.value, 100) : j;
    },
  ],
  [
    'Authorization header',
    (n) => `Basic ${'QUFB'.repeat(n / 4)}`,
    (s) => authorized(s, { basicUser: 'u', basicPassword: 'p' }),
  ],
  [
    'alert labels',
    (n) => 'a'.repeat(n),
    (s) => alertTarget({ status: 'firing', labels: { namespace: s, deployment: s } }),
  ],
];

const MIB = 1024 * 1024;

/** Reviews whose one field is ~1 MiB of the worst text for it (capped by the schemas, refused, named). */
function hostileReviews(): Array<[string, string]> {
  const big = MIB - 4096;
  const cron = cronFederatedHPA();
  const fhpa = federatedHPAFor({ namespace: 'default', name: 'sample-app' });
  const withRule = (rule: Record<string, unknown>) => ({
    ...cron,
    spec: { ...cron.spec, rules: [{ ...cron.spec.rules[0], ...rule }] },
  });
  const withMeta = (meta: Record<string, unknown>) => ({ ...fhpa, metadata: { ...fhpa.metadata, ...meta } });
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['schedule', withRule({ schedule: `0${' '.repeat(big)}x` }), 'CronFederatedHPA'],
    ['timeZone', withRule({ timeZone: `Europe/${'a'.repeat(big)}` }), 'CronFederatedHPA'],
    ['metadata.name', withMeta({ name: `${'a.'.repeat(big / 2)}!` }), 'FederatedHPA'],
    ['metadata.labels', withMeta({ labels: { app: `${'a_'.repeat(big / 2)}-` } }), 'FederatedHPA'],
    [
      'spec.scaleTargetRef.name',
      { ...fhpa, spec: { ...fhpa.spec, scaleTargetRef: { kind: 'Deployment', name: 'a'.repeat(big) } } },
      'FederatedHPA',
    ],
    [
      'selector',
      {
        ...fhpa,
        spec: {
          ...fhpa.spec,
          metrics: [
            {
              type: 'Pods',
              pods: {
                metric: { name: 'rps', selector: { matchLabels: { [`${'a.'.repeat(big / 2)}-`]: 'x' } } },
                target: { type: 'AverageValue', averageValue: '1' },
              },
            },
          ],
        },
      },
      'FederatedHPA',
    ],
    [
      'quantity',
      {
        ...fhpa,
        spec: {
          ...fhpa.spec,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'AverageValue', averageValue: `${'1'.repeat(big)}x` },
              },
            },
          ],
        },
      },
      'FederatedHPA',
    ],
    [
      'many short rules',
      {
        ...cron,
        spec: {
          ...cron.spec,
          rules: Array.from({ length: big / 100 }, (_, i) => ({
            name: `r${i}`,
            schedule: `0${' '.repeat(40)}x`,
            targetMinReplicas: 1,
          })),
        },
      },
      'CronFederatedHPA',
    ],
  ];
  return cases.map(([name, object, kind]) => [
    name,
    JSON.stringify(admissionReview(object, `uid-${name}`, kind)),
  ]);
}

export const parsers: Benchmark = {
  name: 'parsers',
  description:
    'worst inputs of every parser reachable without credentials: growth per 4× size, ms per request',
  async run(opts): Promise<Figures> {
    const max = Number(opts.flags.max ?? (opts.quick ? 65536 : 262144));
    const sizes = [max / 64, max / 16, max / 4, max];
    const growthPer4x: Record<string, number> = {};
    const usAtMax: Record<string, number> = {};
    for (const [name, input, parse] of CASES) {
      const medians: number[] = [];
      for (const n of sizes) {
        const text = input(n);
        // A parser that refuses by throwing (the quantity parser) still answered: time it the same.
        const call = () => {
          try {
            return parse(text);
          } catch (err) {
            return err;
          }
        };
        const m = await measure(call, { warmup: 3, iterations: opts.quick ? 5 : 15 });
        // The fastest call: a garbage collection landing in one call is not the parser's growth.
        medians.push(m.minUs);
      }
      const last = medians.at(-1) ?? 0;
      // Geometric mean over the 4× steps, so one cache-size step is not read as a trend; times under 20 µs
      // measure the clock more than the parser and start no step (all of them: the parser is flat).
      const from = medians.findIndex((us) => us >= 20);
      const steps = medians.length - 1 - from;
      growthPer4x[name] = round(
        from < 0 || steps === 0 ? 1 : (last / (medians[from] ?? 1)) ** (1 / steps),
        2,
      );
      usAtMax[name] = round(last, 1);
      opts.log(`${name}: ${medians.map((u) => round(u, 1)).join(' → ')} µs (×${growthPer4x[name]})`);
    }

    const app = createApp({
      deps: () => {
        throw new Error('admission needs no pipeline');
      },
      credentials: { bearerToken: 'unused' },
      maxBodyBytes: MIB,
    });
    const post = async (body: string) => {
      const res = await app.request('/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status >= 500) throw new Error(`answered ${res.status}`);
      await res.arrayBuffer();
    };
    const requestMs: Record<string, number> = {};
    for (const [name, body] of hostileReviews()) {
      const m = await measure(() => post(body), { warmup: 2, iterations: opts.quick ? 5 : 15 });
      requestMs[name] = round(m.medianUs / 1000, 2);
      opts.log(
        `request with hostile ${name} (${(body.length / 1024).toFixed(0)} KiB): ${requestMs[name]} ms`,
      );
    }
    const normal = JSON.stringify(
      admissionReview(federatedHPAFor({ namespace: 'default', name: 'sample-app' }), 'uid-normal'),
    );
    const normalRequestMs = round(
      (await measure(() => post(normal), { warmup: 20, iterations: 200 })).medianUs / 1000,
      3,
    );

    const maxGrowthPer4x = Math.max(...Object.values(growthPer4x));
    return {
      maxInputChars: max,
      growthPer4x,
      usAtMax,
      maxGrowthPer4x,
      linear: maxGrowthPer4x < 8,
      requestMs,
      worstRequestMs: Math.max(...Object.values(requestMs)),
      normalRequestMs,
    };
  },
};
