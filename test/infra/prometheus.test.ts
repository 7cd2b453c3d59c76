import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createApp } from '../../src/app/app.ts';
import { PipelineMetrics } from '../../src/app/prometheus.ts';
import { silentLogger } from '../../src/log.ts';
import type { PipelineDeps } from '../../src/pipeline/types.ts';

// The shipped Prometheus pieces, checked by Prometheus' own promtool (Debian's 2.42, installed by .ci/run):
// both PrometheusRules (their `spec` is a rule file) pass `check rules` and their unit tests (`test rules`:
// one case per fhpa health alert, and the sample-app rule's reaction time), the scrape config passes
// `check config` with its CA file in place, and every metric the rules and the Grafana dashboard use is one
// that fhpa's /metrics really exports.

const run = promisify(execFile);
const infra = (path: string) => new URL(`../../infra/${path}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'fhpa-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function promtool(args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: dir, encoding: 'utf8' });
    return `${stdout}${stderr}`;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`promtool ${args.join(' ')}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** A PrometheusRule's spec, written as the plain rule file Prometheus loads. */
function ruleFile(prometheusRule: string, name: string): string {
  const doc = parse(readFileSync(infra(prometheusRule), 'utf8')) as { kind: string; spec: unknown };
  expect(doc.kind).toBe('PrometheusRule');
  writeFileSync(join(dir, name), stringify(doc.spec));
  return name;
}

const RULES = [
  { rule: 'prometheus/fhpa-rules.yaml', file: 'fhpa-rules.yaml', test: 'prometheus/fhpa-rules.test.yaml' },
  {
    rule: 'alertmanager/prometheusrule.yaml',
    file: 'prometheusrule.yaml',
    test: 'alertmanager/prometheusrule.test.yaml',
  },
];

describe('promtool', () => {
  it.each(RULES)('check rules and test rules: $rule', async ({ rule, file, test }) => {
    const name = ruleFile(rule, file);
    expect(await promtool(['check', 'rules', name])).toContain('SUCCESS');
    const testFile = join(dir, `${file}.test.yaml`);
    copyFileSync(infra(test), testFile);
    expect(await promtool(['test', 'rules', testFile])).toContain('SUCCESS');
  });

  it('tests every alert of the fhpa health rules', () => {
    const spec = parse(readFileSync(infra('prometheus/fhpa-rules.yaml'), 'utf8')).spec as {
      groups: Array<{ rules: Array<{ alert?: string }> }>;
    };
    const alerts = spec.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    const tests = parse(readFileSync(infra('prometheus/fhpa-rules.test.yaml'), 'utf8')) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
    };
    const firing = new Set(
      tests.tests.flatMap((t) =>
        t.alert_rule_test.filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname),
      ),
    );
    expect([...firing].sort()).toEqual([...alerts].sort());
  });

  it('check config: the scrape job over TLS with its CA file', async () => {
    const config = parse(readFileSync(infra('prometheus/prometheus.yaml'), 'utf8')) as {
      scrape_configs: Array<{
        job_name: string;
        tls_config?: { ca_file: string };
        kubernetes_sd_configs?: unknown;
      }>;
    };
    // The fhpa pods over TLS, and the DynamoDB overlay's sweepers (plain HTTP; they serve nobody else).
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(['fhpa', 'fhpa-sweep']);
    for (const job of config.scrape_configs) {
      // Debian builds Prometheus without Kubernetes service discovery ("field kubernetes_sd_configs not found"):
      // the discovery block is swapped for a static target; everything else (TLS, relabelling) is checked as is.
      expect(job.kubernetes_sd_configs).toBeDefined();
      delete job.kubernetes_sd_configs;
      Object.assign(job, { static_configs: [{ targets: ['127.0.0.1:8443'] }] });
    }
    const job = config.scrape_configs[0]!;
    if (!job.tls_config) throw new Error('the fhpa job scrapes over TLS');
    expect(job.tls_config.ca_file).toMatch(/ca\.crt$/);
    job.tls_config.ca_file = join(dir, 'ca.crt');
    copyFileSync(new URL('../karmada/fixtures/ca.pem', import.meta.url), join(dir, 'ca.crt'));
    ruleFile('prometheus/fhpa-rules.yaml', 'fhpa-rules.yaml');
    writeFileSync(join(dir, 'prometheus.yaml'), stringify(config));
    expect(await promtool(['check', 'config', 'prometheus.yaml'])).toContain('SUCCESS');
  });
});

/** Metric names a PromQL expression refers to: fhpa's own and the process/Node.js ones. */
const metricNames = (expr: string) => expr.match(/\b(?:fhpa|process|nodejs)_[a-z0-9_]+\b/g) ?? [];

describe('every metric the rules and the dashboard use is exported by /metrics', () => {
  it('matches the names on a live /metrics', async () => {
    const metrics = new PipelineMetrics();
    // Labelled histograms appear with their first observation.
    metrics.call({ verb: 'get', resource: 'x', status: 200, attempt: 1, durationMs: 1 });
    // As on a replica that shares the sweep through leases (FHPA_SWEEP_LEASES): only those export fhpa_lease_*.
    metrics.leases(32);
    const app = createApp({
      deps: () => ({ log: silentLogger }) as unknown as PipelineDeps,
      credentials: { bearerToken: 'unused-token-0123456789' },
      maxBodyBytes: 1024,
      metrics,
    });
    const text = await (await app.request('/metrics')).text();
    const exported = new Set<string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const [, name, type] = m as unknown as [string, string, string];
      exported.add(name);
      if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) exported.add(name + s);
    }
    const rules = [
      readFileSync(infra('prometheus/fhpa-rules.yaml'), 'utf8'),
      readFileSync(infra('prometheus/fhpa-rules.test.yaml'), 'utf8'),
    ].join('\n');
    const dashboard = JSON.parse(readFileSync(infra('grafana/fhpa-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
      templating: { list: Array<{ query?: string }> };
    };
    const used = new Set([
      ...metricNames(rules),
      ...dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr))),
      ...dashboard.templating.list.flatMap((v) => metricNames(v.query ?? '')),
    ]);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });
});
