// The Lambda bundle is built in two places, `npm run build:lambda` (what a deploy uses) and the bundle
// benchmark (what is measured); they must build the same thing, or the benchmark measures a bundle nobody
// deploys (it once lacked the createRequire banner, so its bundle could not even be imported).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const script =
  (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> })
    .scripts['build:lambda'] ?? '';
const bench = readFileSync(new URL('bench/bundle.ts', root), 'utf8');

describe('the Lambda build', () => {
  it('uses the same banner in package.json and in the bundle benchmark', () => {
    const banner = /const LAMBDA_BANNER =\s*"([^"]+)"/.exec(bench)?.[1];
    expect(banner).toBeDefined();
    expect(script).toContain(`--banner:js="${banner}"`);
  });
  it.each([
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--target=node22',
    '--splitting',
    '--outdir=dist/lambda',
    '--entry-names=index',
    '--out-extension:.js=.mjs',
    '--sourcemap',
    '--sources-content=false',
  ])('both pass %s', (flag) => {
    expect(script).toContain(flag);
    expect(bench).toContain(`'${flag}'`);
  });
});
