// The Lambda as it is deployed: `npm run build:lambda` (esbuild, code split: the AWS SDK and the kubeconfig
// loader are chunks loaded on first use), then the built handler imported by a fresh Node process and invoked
// with a Function URL event. Catches what testing src/ cannot: a bundle that fails to import (it once lacked
// the createRequire banner) or a chunk that goes missing.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const event = JSON.parse(readFileSync(new URL('fixtures/function-url-alert.json', import.meta.url), 'utf8'));

// Runs in the child: imports the bundle, invokes it, prints the response as JSON.
const invoke = `
const { handler } = await import(process.argv[1]);
const res = await handler(JSON.parse(process.argv[2]), { getRemainingTimeInMillis: () => 30000 });
console.log(JSON.stringify(res));
`;

describe('the built Lambda bundle', () => {
  it('builds, imports in a fresh process and answers a Function URL event', async () => {
    await run('npm', ['run', '-s', 'build:lambda'], { cwd: root, timeout: 60_000 });
    // infra/aws/template.yaml sets NODE_OPTIONS=--enable-source-maps: the bundle must point at a map of src/.
    const bundle = readFileSync(`${root}dist/lambda/index.mjs`, 'utf8');
    expect(bundle.trimEnd().split('\n').at(-1)).toBe('//# sourceMappingURL=index.mjs.map');
    const map = JSON.parse(readFileSync(`${root}dist/lambda/index.mjs.map`, 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../src/runtime/lambda.ts');
    expect(readFileSync(`${root}infra/aws/template.yaml`, 'utf8')).toMatch(
      /NODE_OPTIONS: --enable-source-maps/,
    );
    const health = {
      ...event,
      rawPath: '/healthz',
      body: undefined,
      requestContext: {
        ...event.requestContext,
        http: { ...event.requestContext.http, method: 'GET', path: '/healthz' },
      },
    };
    const karmada = {
      PATH: process.env.PATH ?? '',
      FHPA_KARMADA_SERVER: 'https://karmada.invalid:5443',
      FHPA_KARMADA_TOKEN: 'bundle-test-karmada-token',
      FHPA_AUTH_TOKEN: 'bundle-test-alertmanager-token',
    };
    // Issue 19.8: a Lambda without FHPA_STORE would keep histories in one short-lived instance's memory:
    // refused, naming the variable.
    const { stdout: refused } = await run(
      process.execPath,
      ['--input-type=module', '-e', invoke, `${root}dist/lambda/index.mjs`, JSON.stringify(health)],
      { cwd: root, env: karmada, timeout: 30_000 },
    );
    const refusal = JSON.parse(refused.trim().split('\n').at(-1) ?? '');
    expect(refusal.statusCode).toBe(503);
    expect(JSON.parse(refusal.body).problems[0]).toMatch(/^FHPA_STORE: the embedded store .* Lambda/);

    // As infra/aws/template.yaml configures it (the table is not contacted to answer /healthz).
    const env = {
      ...karmada,
      FHPA_STORE: 'dynamodb',
      FHPA_DYNAMODB_TABLE: 'fhpa-history',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bundle-test',
      AWS_SECRET_ACCESS_KEY: 'bundle-test',
    };
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', invoke, `${root}dist/lambda/index.mjs`, JSON.stringify(health)],
      { cwd: root, env, timeout: 30_000 },
    );
    const res = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });

    // An alert without the right token is refused by the bundle too, before Karmada is contacted.
    const { stdout: denied } = await run(
      process.execPath,
      ['--input-type=module', '-e', invoke, `${root}dist/lambda/index.mjs`, JSON.stringify(event)],
      { cwd: root, env, timeout: 30_000 },
    );
    expect(JSON.parse(denied.trim().split('\n').at(-1) ?? '').statusCode).toBe(401);
  });
});
