// `fhpa snapshot NAMESPACE/NAME` and `fhpa explain NAMESPACE/NAME`: one live evaluation as a dry run, with the
// server's configuration (FHPA_* variables: Karmada connection, store, controller options), writing nothing.
// snapshot prints what `fhpa recommend` replays to the same decision; explain prints that decision for a
// person (-o json: as JSON).

import { snapshotOf } from '../api/snapshot-of.ts';
import { ConfigError } from '../config.ts';
import { nodeTransport } from '../karmada/node-transport.ts';
import { captureEvaluation } from '../pipeline/capture.ts';
import { nodeConnection } from '../runtime/node-connection.ts';
import { createRuntime } from '../runtime/runtime.ts';
import { sdkConnector } from '../store/connect-sdk.ts';
import { explain, renderExplanation } from './explanation.ts';
import { argumentError, type CliIO, type Command } from './io.ts';

const usage = (command: 'snapshot' | 'explain') => `Usage: fhpa ${command} NAMESPACE/NAME [-o json]

${
  command === 'snapshot'
    ? 'Read a live FederatedHPA and everything its evaluation reads (scale, placement, pods of every member,\nmetrics, stored history) and print the snapshot `fhpa recommend` replays to the same decision (JSON).'
    : 'Evaluate a live FederatedHPA and explain its decision: each metric against its target and its proposal,\nthe pods left out and why, the stabilization window or policy that held the result and until when, and\nthe min/max clamp. -o json prints the same as JSON.'
}
Nothing is written (a dry run). Configured like \`fhpa serve\`: FHPA_KARMADA_SERVER and FHPA_KARMADA_TOKEN, or
FHPA_KUBECONFIG (and FHPA_KUBE_CONTEXT), the history store (FHPA_DYNAMODB_TABLE; the embedded store of a running
server is not readable from here, so its history is empty) and the controller options (FHPA_TOLERANCE, ...).

Exit status: 0 with a decision, 1 when the evaluation failed before deciding, 2 for usage or configuration.`;

const REF = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/;

function command(kind: 'snapshot' | 'explain'): Command {
  return async (args, io) => {
    if (args.includes('--help') || args.includes('-h')) {
      io.out(usage(kind));
      return 0;
    }
    const rest = [...args];
    let json = kind === 'snapshot';
    const o = rest.indexOf('-o');
    if (o >= 0) {
      if (rest[o + 1] !== 'json') {
        return argumentError(io, kind, '-o: the only output format is json');
      }
      json = true;
      rest.splice(o, 2);
    }
    const match = rest.length === 1 ? REF.exec(rest[0]!) : null;
    if (!match) {
      return argumentError(io, kind, 'expected one NAMESPACE/NAME, e.g. default/sample-app');
    }
    return run(kind, { namespace: match[1]!, name: match[3]! }, json, io);
  };
}

async function run(
  kind: 'snapshot' | 'explain',
  ref: { namespace: string; name: string },
  json: boolean,
  io: CliIO,
): Promise<number> {
  let runtime: Awaited<ReturnType<typeof createRuntime>>;
  try {
    runtime = await createRuntime({
      rawEnv: { FHPA_LOG_LEVEL: 'error', ...io.env },
      connection: nodeConnection,
      transport: nodeTransport(),
      dynamo: sdkConnector,
      announce: false,
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`fhpa ${kind}: ${err.message}`);
    return 2;
  }
  try {
    const captured = await captureEvaluation(runtime.deps, ref);
    if (!captured.ok) {
      io.err(
        `fhpa ${kind}: ${ref.namespace}/${ref.name}: ${captured.result.outcome}: ${captured.result.message ?? ''}`,
      );
      return 1;
    }
    if (kind === 'snapshot') {
      io.out(JSON.stringify(snapshotOf(captured.input, captured.fhpa), null, 2));
      return 0;
    }
    const e = explain(captured.input, `${ref.namespace}/${ref.name}`, captured.fhpa.metadata.annotations);
    io.out(json ? JSON.stringify(e, null, 2) : renderExplanation(e));
    return 0;
  } finally {
    runtime.deps.store.close?.();
  }
}

export const snapshot = command('snapshot');
export const explainCommand = command('explain');
