import pkg from '../../package.json' with { type: 'json' };
import { type CliIO, type Command, processIO } from './io.ts';

interface Entry {
  summary: string;
  load: () => Promise<Command>;
}

// Each command lives in its own file and is imported only when used, so `fhpa --help` stays fast and a
// command's dependencies (YAML, AWS SDK, servers) load only for that command.
const commands: Record<string, Entry> = {
  demo: {
    summary:
      'the Karmada FederatedHPA walkthrough end to end on a simulated Karmada (what `npm run demo` runs)',
    load: async () => (await import('./demo.ts')).demo,
  },
  recommend: {
    summary: 'decide the desired replicas for a snapshot (JSON), offline, as the live pipeline would',
    load: async () => (await import('./recommend.ts')).recommend,
  },
  snapshot: {
    summary:
      'read a live FederatedHPA and everything its evaluation reads; print the snapshot recommend replays',
    load: async () => (await import('./snapshot.ts')).snapshot,
  },
  explain: {
    summary: 'explain the decision fhpa makes now for a live FederatedHPA (metrics, pods, windows, clamp)',
    load: async () => (await import('./snapshot.ts')).explainCommand,
  },
  plan: {
    summary:
      "show how a FederatedHPA's replicas land on member clusters (Karmada division, Federation v1 bounds)",
    load: async () => (await import('./plan.ts')).plan,
  },
  validate: {
    summary:
      'check FederatedHPA and CronFederatedHPA manifests offline with the admission webhook rules (CI)',
    load: async () => (await import('./validate.ts')).validate,
  },
  simulate: {
    summary: 'run FederatedHPAs against a load trace on the simulated federation and chart it (SVG)',
    load: async () => (await import('./simulate.ts')).simulate,
  },
  serve: {
    summary: 'the Node server: webhooks, alert receiver, sweep loop, /metrics (configured from FHPA_*)',
    load: async () => (await import('./serve.ts')).serve,
  },
  sim: {
    summary:
      'a playground Karmada (simulated, HTTPS, with a kubeconfig) to try fhpa serve, kubectl and curl on',
    load: async () => (await import('./sim.ts')).sim,
  },
  store: {
    summary: 'create the DynamoDB history table (init) or print a stored history (get)',
    load: async () => (await import('./store.ts')).store,
  },
};

export function usage(): string {
  const width = Math.max(0, ...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`);
  return [
    'fhpa: a serverless, webhook-driven FederatedHPA autoscaler for Karmada',
    '',
    'Usage: fhpa <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `fhpa <command> --help` for the options of one command; `fhpa --version` prints the version.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`fhpa ${pkg.version}`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`fhpa: unknown command "${name.slice(0, 100)}" (see fhpa --help)`);
    return 2;
  }
  try {
    return await (await entry.load())(rest, io);
  } catch (err) {
    // A command reports its own expected failures; anything reaching here is a bug, but still no stack dump.
    io.err(`fhpa ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
