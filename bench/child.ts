import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

// Child processes for benchmarks: a command with captured output, and the time one `import` takes in a
// fresh node process (a cold start, without the cost of starting node itself).

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `command` without a shell (arguments are never re-parsed) and captures its output. */
export function exec(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, {
      cwd: opts.cwd,
      // colour codes would end up in error figures
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - start) / 1e6 }),
    );
  });
}

// Timed inside the child, from just before the dynamic import to just after it resolves.
const IMPORT_TIMER =
  'const s = process.hrtime.bigint(); await import(process.env.BENCH_IMPORT);' +
  ' process.stdout.write(String(Number(process.hrtime.bigint() - s) / 1e6));';

/**
 * Milliseconds a fresh `node` takes to import `specifier`: a bare package name resolves from `cwd`'s
 * node_modules, an absolute path is turned into a file URL.
 */
export async function coldImportMs(specifier: string, cwd: string): Promise<number> {
  const target = specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier;
  const r = await exec(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER], {
    cwd,
    env: { BENCH_IMPORT: target },
  });
  const ms = Number(r.stdout);
  if (r.code !== 0 || !Number.isFinite(ms)) {
    throw new Error(`importing ${specifier} failed: ${firstErrorLines(r.stderr)}`);
  }
  return ms;
}

/** The lines of a tool's output worth putting in a figure: those naming an error, else the first few. */
export function firstErrorLines(output: string, max = 3): string {
  // wrangler colours its output whatever NO_COLOR says
  const lines = stripVTControlCharacters(output)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => /error/i.test(l));
  return (errors.length > 0 ? errors : lines).slice(0, max).join(' | ').slice(0, 500);
}
