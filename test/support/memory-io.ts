import type { CliIO } from '../../src/cli/io.ts';

/** A CLI IO that records output, for running commands in-process. */
export function memoryIO(stdin = '', files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  /** Files the command wrote, by path. */
  const written: Record<string, string> = {};
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readStdin: async () => stdin,
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`ENOENT: no such file, open '${p}'`);
      return f;
    },
    writeFile: async (p, text) => {
      written[p] = text;
    },
    env: {},
  };
  return { io, out, err, written };
}
