import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/cli/validate.ts';
import { memoryIO } from '../support/memory-io.ts';

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const SAMPLE = example('federatedhpa-sample-app.yaml');
const INVALID = example('federatedhpa-invalid.yaml');
// The seed's 10 s scale-down window is shorter than the 15 s evaluation period: valid, with a warning.
const WINDOW_WARNING =
  '  warning: spec.behavior.scaleDown.stabilizationWindowSeconds (10s) is shorter than the evaluation period (15s): the window rarely holds more than one recommendation, so it does not smooth scale-downs';
const SAMPLE_OK = `FederatedHPA default/sample-app: valid\n${WINDOW_WARNING}`;

async function run(args: string[], files: Record<string, string> = {}, stdin = '') {
  const { io, out, err } = memoryIO(stdin, files);
  const code = await validate(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fhpa validate', () => {
  it('exits 0 for the seed example and says it is valid', async () => {
    const r = await run(['sample.yaml'], { 'sample.yaml': SAMPLE });
    expect(r).toEqual({ code: 0, out: SAMPLE_OK, err: '' });
  });

  it('exits 1 and lists every field error, indented, for the bad example', async () => {
    const r = await run(['bad.yaml'], { 'bad.yaml': INVALID });
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'FederatedHPA default/sample-app-broken: invalid',
        '  spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
        '  spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue',
        '  spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
        'CronFederatedHPA default/sample-app-nightly: invalid',
        '  spec.rules[0].targetMinReplicas: Invalid value: "": targetMaxReplicas should be larger than or equal to targetMinReplicas',
      ].join('\n'),
    );
  });

  it('prints one JSON array with -o json, one entry per validated object', async () => {
    const r = await run(['-o', 'json', 'bad.yaml', 'sample.yaml'], {
      'bad.yaml': INVALID,
      'sample.yaml': SAMPLE,
    });
    expect(r.code).toBe(1);
    const entries = JSON.parse(r.out);
    expect(
      entries.map((e: { kind: string; name: string; valid: boolean }) => [e.kind, e.name, e.valid]),
    ).toEqual([
      ['FederatedHPA', 'sample-app-broken', false],
      ['CronFederatedHPA', 'sample-app-nightly', false],
      ['FederatedHPA', 'sample-app', true],
    ]);
    expect(entries[0].errors[0]).toEqual({
      field: 'spec.maxReplicas',
      message: 'Invalid value: 2: must be greater than or equal to `minReplicas`',
    });
    expect(entries[2]).toEqual({
      kind: 'FederatedHPA',
      namespace: 'default',
      name: 'sample-app',
      valid: true,
      errors: [],
      warnings: [WINDOW_WARNING.replace('  warning: ', '')],
    });
  });

  it('prints warnings prefixed with warning:', async () => {
    const yaml = SAMPLE.replace('type: AverageValue', 'type: Value');
    const r = await run(['-'], {}, yaml);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'FederatedHPA default/sample-app: valid',
        '  warning: spec.metrics[0].pods.target.type is "Value", but a Pods metric is compared by averageValue: write type AverageValue so the spec says what the controller does',
        WINDOW_WARNING,
      ].join('\n'),
    );
  });

  it('reads JSON, kind: List, and skips other kinds saying so', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'sample-app' } },
        JSON.parse(JSON.stringify(yamlToObject())),
      ],
    };
    const r = await run(['list.json'], { 'list.json': JSON.stringify(list) });
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Deployment default/sample-app: skipped (not a FederatedHPA or CronFederatedHPA)',
        'FederatedHPA default/sample-app: valid',
      ].join('\n'),
    );
    const j = await run(['-o', 'json', 'list.json'], { 'list.json': JSON.stringify(list) });
    expect(JSON.parse(j.out)).toHaveLength(1);
    expect(j.err).toBe('Deployment default/sample-app: skipped (not a FederatedHPA or CronFederatedHPA)');
  });

  it('gives objects without a namespace the default one, or -n', async () => {
    const noNs = SAMPLE.replace('  namespace: default\n', '');
    expect((await run(['f.yaml'], { 'f.yaml': noNs })).out).toBe(SAMPLE_OK);
    expect((await run(['-n', 'prod', 'f.yaml'], { 'f.yaml': noNs })).out).toBe(
      SAMPLE_OK.replace('default/', 'prod/'),
    );
  });

  it('validates raw with --raw: a behavior side without policies is then an error', async () => {
    const r = await run(['--raw', 'sample.yaml'], { 'sample.yaml': SAMPLE });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '  spec.behavior.scaleUp.policies: Required value: must specify at least one Policy',
    );
    expect(r.out).toContain(
      '  spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
    );
  });

  it('exits 2 when a file cannot be read or parsed, still validating the others', async () => {
    const missing = await run(['nope.yaml', 'sample.yaml'], { 'sample.yaml': SAMPLE });
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("fhpa validate: cannot read nope.yaml: ENOENT: no such file, open 'nope.yaml'");
    expect(missing.out).toBe(SAMPLE_OK);
    const broken = await run(['broken.yaml'], { 'broken.yaml': 'kind: FederatedHPA\nspec: [1, 2\n' });
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/^fhpa validate: cannot parse broken.yaml: .+ at line \d+, column \d+/);
  });

  it.each([
    [[], 'expected at least one FILE (or - for standard input)'],
    [['-o', 'yaml', 'f'], 'unsupported output "yaml": only -o json'],
    [['--strict', 'f'], 'unknown option --strict'],
  ])('exits 2 on bad arguments %j', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`fhpa validate: ${message} (see fhpa validate --help)`);
  });

  it('prints usage with --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: fhpa validate \[-o json\] \[--raw\]/);
  });
});

function yamlToObject() {
  return {
    apiVersion: 'autoscaling.karmada.io/v1alpha1',
    kind: 'FederatedHPA',
    metadata: { name: 'sample-app', namespace: 'default' },
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

// Issues 19.7 and 18.4.
describe('fhpa validate: input that is not what CI meant to check', () => {
  it('exits 1 when a file holds no FederatedHPA or CronFederatedHPA, so CI does not pass on the wrong file', async () => {
    const r = await run(['d.yaml'], { 'd.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    expect(r.code).toBe(1);
    expect(r.err).toBe('fhpa validate: no FederatedHPA or CronFederatedHPA found');
  });

  it('exits 2 on a YAML alias bomb, as for any unreadable input', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, prev] of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
      const name = String.fromCharCode(98 + i);
      const refs = Array(9).fill(`*${prev}`).join(',');
      bomb.push(`${name}: &${name} [${refs}]`);
    }
    const r = await run(['bomb.yaml'], { 'bomb.yaml': bomb.join('\n') });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fhpa validate: cannot parse bomb\.yaml: .*alias/i);
  });
});
