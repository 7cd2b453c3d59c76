// Every command README.md and examples/ show, run as written (issue 19.6): the ```sh and ```console blocks of
// README.md, examples/README.md and infra/karmada/README.md, and the `# Try:` lines of the example files,
// extracted mechanically. fhpa commands run in-process (main(), the same code as `node bin/fhpa.mjs`), reading
// the checkout's files and writing their output files to memory. A command is skipped only with a reason from
// SKIP: it needs a real cluster or cloud, or is a long-running server another test drives as written. A command
// no rule covers fails the test, so a new README command is either run here or skipped for a stated reason.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { memoryIO } from './support/memory-io.ts';

const ROOT = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

interface Shown {
  command: string;
  where: string;
  /** Exit status: 0, the `# exits N` comment's, or what a console block's `echo $?` printed. */
  code: number;
  /** A console block's output, compared exactly. */
  output?: string;
}

/** The commands of one Markdown file's sh and console blocks. */
function fromMarkdown(file: string): Shown[] {
  const shown: Shown[] = [];
  for (const [, lang, body = ''] of read(file).matchAll(/```(sh|console)\n([\s\S]*?)```/g)) {
    if (lang === 'sh') {
      for (const line of body.replace(/\\\n\s*/g, ' ').split('\n')) {
        const [command = '', comment = ''] = splitComment(line);
        if (command !== '') shown.push({ command, where: file, code: exitsOf(comment) });
      }
      continue;
    }
    // console: `$ command`, then its output up to the next `$`; `$ echo $?` prints the previous one's status
    for (const chunk of body.split(/^\$ /m).slice(1)) {
      const [command = '', ...output] = chunk.trimEnd().split('\n');
      const previous = shown.at(-1);
      if (command === 'echo $?' && previous) previous.code = Number(output[0]);
      else shown.push({ command, where: file, code: 0, output: output.join('\n') });
    }
  }
  return shown;
}

/** `# Try:  fhpa ...` lines in the example files' comments. */
function fromExampleComments(): Shown[] {
  return readdirSync(new URL('examples/', ROOT))
    .filter((f) => /\.(ya?ml|csv)$/.test(f))
    .flatMap((f) =>
      [...read(`examples/${f}`).matchAll(/^#\s*Try:\s+(.+)$/gm)].map(([, line = '']) => {
        const [command = '', comment = ''] = splitComment(line);
        return { command, where: `examples/${f}`, code: exitsOf(comment) };
      }),
    );
}

/** A line's command and its trailing `# comment` (a # outside quotes, after a blank). */
function splitComment(line: string): [string, string] {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? '')))
      return [line.slice(0, i).trim(), line.slice(i + 1)];
  }
  return [line.trim(), ''];
}

const exitsOf = (comment: string) => Number(/\bexits (\d)/.exec(comment)?.[1] ?? 0);

/** Shell words: '...' and "..." quoting, enough for the commands the docs show. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

// Why a command is not run here; the first matching rule applies.
const SKIP: Array<[RegExp, string]> = [
  [
    /^npm (install|ci|test)\b|^npm run build/,
    'installs, builds or runs the suite: CI (.ci/run) does exactly this',
  ],
  [/^npm run demo\b/, '`fhpa demo`: test/demo/demo.test.ts runs it and checks its summary'],
  [/^export \w+=/, 'sets a variable for the lines after it'],
  [/^sleep \d/, 'waits'],
  [
    /\bfhpa(\.mjs)? (sim|serve)\b/,
    'a long-running server: test/cli/try-the-server.test.ts runs the README blocks that start it, test/cli/serve.test.ts the server with TLS',
  ],
  [
    /^(kubectl|curl)\b.*(fhpa-sim\.kubeconfig|localhost:8080)/,
    'talks to the servers above: test/cli/try-the-server.test.ts',
  ],
  [
    /\bfhpa(\.mjs)? (snapshot|explain)\b/,
    'needs a live Karmada (FHPA_*): test/cli/snapshot.e2e.test.ts runs it against the simulator',
  ],
  [
    /^node_modules\/\.bin\/dynalite\b|\bfhpa(\.mjs)? store init\b/,
    'starts a local DynamoDB: test/store/readme-store-init.test.ts runs that block as written, in bash',
  ],
  [/^kubectl\b|^curl\b/, 'needs a real Karmada or a deployed fhpa'],
  [/^(sam|docker)\b|^npx wrangler\b/, 'needs AWS, Cloudflare or Docker'],
];

// Files the docs name as the reader's own (`fast.yaml`, `load.csv`): stand-ins of the same kind.
const SPEC = read('examples/federatedhpa-sample-app.yaml');
const seedSnapshot = read('examples/snapshot-seed-scale-up.json');
const STAND_INS: Record<string, string> = {
  'fast.yaml': SPEC.replace('name: sample-app\n  namespace', 'name: fast\n  namespace'),
  'slow.yaml': SPEC.replace('name: sample-app\n  namespace', 'name: slow\n  namespace').replace(
    'scaleDown:\n      stabilizationWindowSeconds: 10',
    'scaleDown:\n      stabilizationWindowSeconds: 60',
  ),
  'load.csv': 'seconds,rps\n0,0.05\n10,20\n70,0.05\n120,0.05\n',
  'many-snapshots.json': `[${seedSnapshot},${read('examples/snapshot-seed-scale-down.json')}]`,
  'snap.json': seedSnapshot, // what `fhpa snapshot ... > snap.json` wrote, one line up
};

interface Run {
  argv: string[];
  stdin?: string;
}
type Plan = { skip: string } | Run;

function planOf(command: string): Plan {
  const rule = SKIP.find(([re]) => re.test(command));
  if (rule) return { skip: rule[1] };
  // `cat FILE | fhpa ...`: FILE on standard input
  const piped = /^cat (\S+) \| (.*)$/.exec(command);
  const w = words(piped ? (piped[2] ?? '') : command);
  const start =
    w[0] === 'npx' && w[1] === 'fhpa'
      ? 2
      : w[0] === 'node' && /fhpa\.mjs$/.test(w[1] ?? '')
        ? 2
        : w[0] === 'fhpa'
          ? 1
          : -1;
  if (start < 0) throw new Error(`no rule for "${command}": run it here or add a SKIP reason`);
  const file = piped?.[1];
  return { argv: w.slice(start), ...(file ? { stdin: STAND_INS[file] ?? read(file) } : {}) };
}

const shown = [
  ...fromMarkdown('README.md'),
  ...fromMarkdown('examples/README.md'),
  ...fromMarkdown('infra/karmada/README.md'),
  ...fromExampleComments(),
];
const planned = shown.map((s) => ({ ...s, plan: planOf(s.command) }));
// The same command in two places (`npx fhpa X` in one, `fhpa X` in another) runs once: where it shows output.
const runs = new Map<string, Shown & { plan: Run }>();
for (const p of [...planned].sort(
  (a, b) => Number(b.output !== undefined) - Number(a.output !== undefined),
)) {
  if ('argv' in p.plan && !runs.has(p.plan.argv.join(' ')))
    runs.set(p.plan.argv.join(' '), { ...p, plan: p.plan });
}
const skipped = planned.flatMap((p) => ('skip' in p.plan ? [[p.command, p.plan.skip] as const] : []));

describe('commands README.md and examples/ show', () => {
  it('finds them, and every one is run or skipped for a stated reason', () => {
    const all = [...runs.values()];
    expect(all.length).toBeGreaterThanOrEqual(15);
    for (const source of [
      'README.md',
      'examples/README.md',
      'examples/propagationpolicy-dynamic-weight.yaml',
    ])
      expect(all.some((r) => r.where === source)).toBe(true);
    expect(all.filter((r) => r.output !== undefined)).toHaveLength(1); // README's `fhpa validate` transcript
  });

  it.each([...runs.values()].map((r) => [r.command, r] as const))('%s', async (_command, r) => {
    const { io, out, err, written } = memoryIO(r.plan.stdin ?? '');
    io.readFile = async (path) => STAND_INS[path] ?? read(path);
    const code = await main(r.plan.argv, io);
    expect({ code, err: code === r.code ? [] : err }).toEqual({ code: r.code, err: [] });
    if (r.output !== undefined) expect([...out, ...err].join('\n').trimEnd()).toBe(r.output);
    const outFile = r.plan.argv[r.plan.argv.indexOf('--out') + 1];
    if (r.plan.argv.includes('--out')) expect(written[outFile ?? '']).toMatch(/^<svg /);
  });

  // Reported as skipped, each with its reason, so the list of what is not run here stays visible.
  it.skip.each(skipped)('not run here: %s (%s)', () => {});
});
