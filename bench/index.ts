import type { Benchmark } from './benchmark.ts';

// Name → lazy import, so `npm run bench -- bundle` loads only the bundle benchmark and its dependencies.
// Adding a benchmark is adding a file and one line here. Order is the order `all` runs them in.
export const BENCHMARKS: Readonly<Record<string, () => Promise<Benchmark>>> = {
  core: async () => {
    // core.ts takes its own options ({ samples, warmup }); this maps the runner's onto them
    const { core } = await import('./core.ts');
    return {
      name: core.name,
      description: core.description,
      run: (opts) =>
        core.run({
          samples: Number(opts.flags.samples ?? (opts.quick ? 200 : 2000)),
          warmup: Number(opts.flags.warmup ?? (opts.quick ? 50 : 300)),
        }),
    };
  },
  admission: async () => (await import('./admission.ts')).admission,
  'alert-latency': async () => (await import('./alert-latency.ts')).alertLatency,
  sweep: async () => (await import('./sweep.ts')).sweepBenchmark,
  fleet: async () => (await import('./fleet.ts')).fleet,
  storm: async () => (await import('./storm.ts')).storm,
  faults: async () => (await import('./faults.ts')).faults,
  fuzz: async () => (await import('./fuzz.ts')).fuzz,
  bundle: async () => (await import('./bundle.ts')).bundle,
  parsers: async () => (await import('./parsers.ts')).parsers,
  startup: async () => (await import('./startup.ts')).startup,
};

export const BENCHMARK_NAMES = Object.keys(BENCHMARKS);
