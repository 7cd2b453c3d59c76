// The CLI's only contact with the process: commands write through this so tests can run them in-process.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  /** Writes a file (commands that produce one, e.g. a chart); tests capture it. */
  writeFile?(path: string, text: string): Promise<void>;
  /** Redraws a one-line progress indicator on a terminal ('' clears it); absent or a no-op when not a TTY. */
  progress?(line: string): void;
  env: Record<string, string | undefined>;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    readFile: async (path) => (await import('node:fs/promises')).readFile(path, 'utf8'),
    writeFile: async (path, text) => (await import('node:fs/promises')).writeFile(path, text),
    progress: (line) => {
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
    },
    env: process.env,
  };
}

/** Reads FILE, or standard input for `-` (or no file at all). */
export async function readInput(io: CliIO, file: string | undefined): Promise<string> {
  return file === undefined || file === '-' ? io.readStdin() : io.readFile(file);
}

/** A command: parses its own arguments, returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/**
 * An argument error: one line naming the argument and where the options are, exit status 2 (the whole usage
 * buried the one line that mattered). `command` is what follows `fhpa` (`validate`, `sim load`).
 */
export function argumentError(io: CliIO, command: string, message: string): number {
  io.err(`fhpa ${command}: ${message} (see fhpa ${command} --help)`);
  return 2;
}

/** node:util parseArgs' refusal, first sentence: `Unknown option '--x'` without its advice on `--`. */
export function parseArgsMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? text).replace(/\. To specify a positional argument.*$/, '');
}
