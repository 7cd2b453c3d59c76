import { KarmadaApiError } from '../karmada/errors.ts';
import type { PipelineDeps } from '../pipeline/types.ts';

// /readyz: can this instance do its work right now? It needs Karmada (one LIST of at most one FederatedHPA,
// no retry: reachable, credentials accepted, RBAC and the CRD in place) and the history store (one read of a
// key no FederatedHPA has). Kubernetes probes every few seconds from every kubelet that runs a replica, so the
// answer is cached for a few seconds, concurrent probes share one check, and each check is bounded by a
// timeout. /healthz stays liveness only: an unreachable Karmada must not get the pod restarted.
// The answer names what failed by its class (HTTP status and Kubernetes reason, or the error's name), never
// the message: a server's message can echo what was sent.

export interface ReadinessOptions {
  deps: () => Pick<PipelineDeps, 'karmada' | 'store' | 'scope' | 'clock' | 'log'>;
  /** Each check's bound, ms. */
  timeoutMs: number;
  /** How long an answer is reused, ms. */
  cacheMs: number;
}

export interface Readiness {
  ready: boolean;
  checks: { karmada: string; store: string };
}

/** The key the store check reads: no FederatedHPA is named this (names are DNS labels, no "_"). */
export const READINESS_KEY_NAME = '_fhpa-readiness-probe';

class CheckTimeout extends Error {
  override name = 'Timeout';
}

function bounded(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A failure's class, safe to answer to anyone. */
function describeFailure(err: unknown): string {
  if (err instanceof KarmadaApiError) return err.status > 0 ? `${err.status} ${err.reason}` : err.reason;
  if (err instanceof CheckTimeout) return err.message;
  return err instanceof Error ? err.name : 'failed';
}

async function check(
  work: () => Promise<unknown>,
  ms: number,
): Promise<{ ok: boolean; text: string; error?: unknown }> {
  try {
    await bounded(work(), ms);
    return { ok: true, text: 'ok' };
  } catch (error) {
    return { ok: false, text: describeFailure(error), error };
  }
}

/** A readiness check with its cache: call it per probe. */
export function readinessCheck(opts: ReadinessOptions): () => Promise<Readiness> {
  let cached: { at: number; answer: Promise<Readiness> } | undefined;
  const run = async (): Promise<Readiness> => {
    const deps = opts.deps();
    const [karmada, store] = await Promise.all([
      check(() => deps.karmada.probe(), opts.timeoutMs),
      check(
        () => deps.store.load({ scope: deps.scope, namespace: 'kube-system', name: READINESS_KEY_NAME }),
        opts.timeoutMs,
      ),
    ]);
    for (const [what, r] of [
      ['karmada', karmada],
      ['store', store],
    ] as const) {
      // The full message goes to the log (the logger and REST client redact credentials), not to the prober.
      if (!r.ok)
        deps.log.warn(`not ready: ${what} check failed`, {
          check: what,
          cause: r.error instanceof Error ? r.error.message : String(r.error),
        });
    }
    return { ready: karmada.ok && store.ok, checks: { karmada: karmada.text, store: store.text } };
  };
  return () => {
    const now = opts.deps().clock();
    if (!cached || now - cached.at >= opts.cacheMs) cached = { at: now, answer: run() };
    return cached.answer;
  };
}
