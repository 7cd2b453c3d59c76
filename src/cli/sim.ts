// `fhpa sim`: a playground Karmada for trying fhpa without one, and `fhpa sim load` to drive its load.

import { parseArgs } from 'node:util';
import { argumentError, type CliIO, type Command, parseArgsMessage } from './io.ts';

export const SIM_USAGE = `Usage: fhpa sim [--port N] [--kubeconfig FILE] [--empty]
       fhpa sim load --rps N [--workload NAME] [--namespace NS] [--kubeconfig FILE]

A playground Karmada: the simulated Karmada API server on 127.0.0.1 over HTTPS with member clusters member1
and member2, and the walkthrough's Deployment sample-app, PropagationPolicy app-propagation and FederatedHPA
sample-app (http_requests 700m per pod, 1 to 10 replicas). The first line of standard error is its URL. A
kubeconfig for it (context karmada-apiserver: the URL, a bearer token and the CA generated for this run) is
written for kubectl and for fhpa serve (FHPA_KUBECONFIG). Runs until SIGINT or SIGTERM.

  --port N           port on 127.0.0.1; 0 (the default) takes any free port
  --kubeconfig FILE  where to write the kubeconfig (default fhpa-sim.kubeconfig)
  --empty            member1 and member2 only: no workload, policy or FederatedHPA

fhpa sim load sets the request rate reaching a workload of the running playground, so its http_requests
and cpu metrics move:
  --rps N            requests per second through the workload's Service (0 stops the load)
  --workload NAME    default sample-app
  --namespace NS     default default
  --kubeconfig FILE  the running playground's kubeconfig (default fhpa-sim.kubeconfig)`;

export const DEFAULT_KUBECONFIG = 'fhpa-sim.kubeconfig';

type Values = Record<string, string | boolean | undefined>;

/** The flags, or the exit status once --help is printed or parseArgs' refusal is said in one line. */
function flags(
  io: CliIO,
  what: string,
  args: string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): Values | number {
  let values: Values;
  try {
    ({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    return argumentError(io, what, parseArgsMessage(err));
  }
  if (values.help) {
    io.out(SIM_USAGE);
    return 0;
  }
  return values;
}

export const sim: Command = async (args, io) => {
  if (args[0] === 'load') return load(args.slice(1), io);
  const values = flags(io, 'sim', args, {
    port: { type: 'string' },
    kubeconfig: { type: 'string' },
    empty: { type: 'boolean' },
  });
  if (typeof values === 'number') return values;
  const port = Number(values.port ?? '0');
  if (!/^\d+$/.test(String(values.port ?? '0')) || port > 65_535)
    return argumentError(io, 'sim', `--port: an integer from 0 to 65535, not "${values.port}"`);
  const { startPlayground } = await import('../demo/playground.ts');
  const kubeconfig = (values.kubeconfig as string | undefined) ?? DEFAULT_KUBECONFIG;
  const started = await startPlayground({ port, kubeconfig, empty: values.empty === true });
  if ('error' in started) return argumentError(io, 'sim', started.error);
  io.err(started.url);
  io.err(
    `fhpa sim: a simulated Karmada API server with member1 and member2${values.empty ? '' : ', sample-app, its PropagationPolicy and FederatedHPA'}`,
  );
  io.err(`fhpa sim: kubeconfig ${kubeconfig} (context karmada-apiserver); Ctrl-C stops it`);
  const stop = () => void started.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
};

async function load(args: string[], io: CliIO): Promise<number> {
  const values = flags(io, 'sim load', args, {
    rps: { type: 'string' },
    workload: { type: 'string' },
    namespace: { type: 'string' },
    kubeconfig: { type: 'string' },
  });
  if (typeof values === 'number') return values;
  const rps = Number(values.rps);
  if (values.rps === undefined || values.rps === '' || !Number.isFinite(rps) || rps < 0)
    return argumentError(io, 'sim load', `--rps: a number of requests per second, 0 or more`);
  const { setPlaygroundLoad } = await import('../demo/playground.ts');
  const result = await setPlaygroundLoad({
    kubeconfig: (values.kubeconfig as string | undefined) ?? DEFAULT_KUBECONFIG,
    namespace: (values.namespace as string | undefined) ?? 'default',
    workload: (values.workload as string | undefined) ?? 'sample-app',
    rps,
  });
  if ('error' in result) {
    io.err(`fhpa sim load: ${result.error}`);
    return 1;
  }
  io.out(result.message);
  return 0;
}
