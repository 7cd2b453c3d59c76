import { execFile } from 'node:child_process';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';

// Just enough of Dockerfile semantics to run the project's Dockerfile without Docker: stages (FROM ... AS),
// WORKDIR, ENV, USER, COPY (from the context or --from a stage), RUN through /bin/sh, ENTRYPOINT and CMD in
// exec form. Each stage's filesystem is a directory; container paths are mapped into it. Anything else in the
// file is refused, so the image test cannot silently skip an instruction the image would run.

export interface Instruction {
  op: 'WORKDIR' | 'ENV' | 'USER' | 'COPY' | 'RUN' | 'ENTRYPOINT' | 'CMD' | 'EXPOSE';
  args: string;
  line: number;
}
export interface Stage {
  base: string;
  name: string;
  instructions: Instruction[];
}

const OPS = new Set(['WORKDIR', 'ENV', 'USER', 'COPY', 'RUN', 'ENTRYPOINT', 'CMD', 'EXPOSE']);

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]?.trim() ?? '';
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\')) line = `${line.slice(0, -1).trimEnd()} ${lines[++i]?.trim() ?? ''}`;
    const [, op = '', args = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op === 'FROM') {
      const [, base = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      stages.push({ base, name: name ?? String(stages.length), instructions: [] });
    } else if (OPS.has(op) && stages.length > 0) {
      stages.at(-1)?.instructions.push({ op: op as Instruction['op'], args, line: start });
    } else {
      throw new Error(`Dockerfile line ${start}: ${op} is not understood by the image test`);
    }
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() as string;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else throw new Error(`COPY ${flag} is not understood by the image test`);
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`COPY ${args}: sources and a destination`);
  return { ...(from ? { from } : {}), sources: words, dest };
}

/** An exec-form ENTRYPOINT or CMD (a JSON array); the shell form needs a shell the runtime image lacks. */
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`not an exec-form array: ${args}`);
  return parsed;
}

export interface StageResult {
  stage: Stage;
  /** The directory standing for the stage's root filesystem. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  entrypoint?: string[];
  cmd?: string[];
  /** A container path inside this stage's root. */
  host(path: string): string;
}

export interface RunOptions {
  context: string;
  /** Where the stages' filesystems are made, one directory each. */
  dir: string;
  /** Runs one RUN line; the default runs it with /bin/sh in the stage's working directory. */
  run?: (command: string, cwd: string, stage: Stage) => Promise<void>;
  env?: Record<string, string>;
}

const exec = promisify(execFile);

/** Builds every stage in order and returns them by name. */
export async function buildStages(stages: Stage[], opts: RunOptions): Promise<Map<string, StageResult>> {
  const done = new Map<string, StageResult>();
  for (const stage of stages) {
    const root = join(opts.dir, stage.name);
    await mkdir(root, { recursive: true });
    const result: StageResult = {
      stage,
      root,
      workdir: '/',
      env: {},
      host: (p) => join(root, posix.resolve(result.workdir, p)),
    };
    for (const ins of stage.instructions) {
      if (ins.op === 'WORKDIR') {
        result.workdir = posix.resolve(result.workdir, ins.args);
        await mkdir(result.host('.'), { recursive: true });
      } else if (ins.op === 'ENV') {
        const [, key = '', value = ''] = /^(\S+?)=(\S*)$/.exec(ins.args) ?? [];
        result.env[key] = value;
      } else if (ins.op === 'USER') result.user = ins.args;
      else if (ins.op === 'ENTRYPOINT') result.entrypoint = execForm(ins.args);
      else if (ins.op === 'CMD') result.cmd = execForm(ins.args);
      else if (ins.op === 'COPY') await copy(parseCopy(ins.args), result, done, opts.context);
      else if (ins.op === 'RUN') {
        const cwd = result.host('.');
        if (opts.run) await opts.run(ins.args, cwd, stage);
        else await exec('/bin/sh', ['-c', ins.args], { cwd, env: { ...process.env, ...opts.env } });
      }
    }
    done.set(stage.name, result);
  }
  return done;
}

async function copy(c: Copy, into: StageResult, done: Map<string, StageResult>, context: string) {
  const from = c.from === undefined ? undefined : done.get(c.from);
  if (c.from !== undefined && !from) throw new Error(`COPY --from=${c.from}: no such earlier stage`);
  const toDir = c.dest.endsWith('/') || c.sources.length > 1;
  for (const source of c.sources) {
    const src = from ? from.host(source) : join(context, source);
    // Docker copies a directory's contents, and a file into a directory destination under its own name.
    const dest = toDir ? join(into.host(c.dest), posix.basename(source)) : into.host(c.dest);
    await mkdir(dirname(dest), { recursive: true });
    await cp(src, dest, { recursive: true, verbatimSymlinks: true, dereference: false });
  }
}

/** Stands the developer's installed node_modules in for a full `npm ci` (same lock file) in a build stage. */
export const linkNodeModules = (from: string, cwd: string) =>
  symlink(join(from, 'node_modules'), join(cwd, 'node_modules'), 'dir');
