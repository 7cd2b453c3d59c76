// What every benchmark file exports, and what the runner hands it. A benchmark returns its figures; the
// runner (run.ts) owns printing, so each file stays a measurement and nothing else.

// null: a figure this run could not measure (e.g. allocation without gc access), still named in the output
export type Figure = number | string | boolean | object | null;
export type Figures = Record<string, Figure>;

export interface BenchOptions {
  /** `--quick` or BENCH_QUICK=1: fewer runs, for a smoke check rather than figures worth recording. */
  quick: boolean;
  /** The project root; benchmarks resolve every path against it, never against process.cwd(). */
  root: string;
  /** `--key=value` flags after the name, for benchmark-specific settings (each file documents its own). */
  flags: Readonly<Record<string, string>>;
  /** A progress line to stderr; stdout is reserved for the JSON result lines. */
  log(line: string): void;
}

export interface Benchmark {
  name: string;
  description: string;
  /**
   * Resolves to the figures. A benchmark that cannot measure something (a missing entry file, a failed
   * build) reports `error: "<what failed>"` among the figures it could measure rather than throwing.
   */
  run(opts: BenchOptions): Promise<Figures>;
}
