import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { SimClock } from './clock.ts';
import { errorResponse } from './http.ts';
import {
  conflict,
  forbiddenRequest,
  internalError,
  notFound,
  StatusError,
  serviceUnavailable,
  tooManyRequests,
} from './k8s-status.ts';
import { createPrng, type Prng } from './prng.ts';
import type { Attributes } from './rbac.ts';
import { attributesOf, isWrite, proxiedPath, requestInfo } from './request-info.ts';

// Fault injection for the routes of the simulated API server: added latency (real or simulated time),
// errors at a rate (403/404/429/500/503/504, with Retry-After), hangs that answer only when the client
// gives up (or the simulator closes), and forced 409 Conflicts on writes. Rules match a method and a path
// glob; dice come from a seeded PRNG, so the same seed and the same request sequence inject the same
// faults. Admin routes (/_sim/...) are never faulted.

export const FAULT_STATUSES = [403, 404, 429, 500, 503, 504] as const;

const rate = z.number().min(0).max(1);
export const faultRuleSchema = z.strictObject({
  name: z.string().max(200).optional(),
  /** HTTP method to match; absent or "*" matches any. */
  method: z.string().max(10).optional(),
  /** Path glob: `*` matches within one segment, `**` across segments. */
  path: z.string().min(1).max(1000),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  latencyMode: z.enum(['real', 'simulated']).optional(),
  errorRate: rate.optional(),
  errorStatus: z.union(FAULT_STATUSES.map((s) => z.literal(s))).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  hangRate: rate.optional(),
  conflictRate: rate.optional(),
  /** Stop injecting errors, hangs and conflicts after this many (latency is unaffected). */
  limit: z.number().int().min(0).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

export interface FaultCounts {
  latency: number;
  error: Record<string, number>;
  hang: number;
  conflict: number;
}

export type Outcome =
  | { kind: 'pass' }
  | { kind: 'error'; status: (typeof FAULT_STATUSES)[number]; retryAfterSeconds?: number }
  | { kind: 'hang' }
  | { kind: 'conflict' };

export interface Decision {
  latencyMs: number;
  latencyMode: 'real' | 'simulated';
  outcome: Outcome;
}

/** Glob → anchored RegExp: `**` any characters, `*` anything but `/`. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  injected: number;
}

/** The simulator's identity for denied requests: the ServiceAccount of infra/ RBAC. */
const FAULT_USER = 'system:serviceaccount:fhpa-system:fhpa';

export class FaultInjector {
  private active: ActiveRule[] = [];
  private prng: Prng;
  private readonly hangs = new Set<() => void>();
  private tally: FaultCounts = { latency: 0, error: {}, hang: 0, conflict: 0 };

  constructor(
    seed: number,
    private readonly clock: SimClock,
  ) {
    this.prng = createPrng(seed);
  }

  /** Replaces every rule; `seed` (if given) restarts the dice. Counts are kept. */
  setRules(rules: readonly FaultRule[], seed?: number): void {
    this.active = rules.map((r) => ({
      rule: faultRuleSchema.parse(r),
      pattern: globToRegExp(r.path),
      injected: 0,
    }));
    if (seed !== undefined) this.prng = createPrng(seed);
  }

  addRule(rule: FaultRule): void {
    this.active.push({ rule: faultRuleSchema.parse(rule), pattern: globToRegExp(rule.path), injected: 0 });
  }

  clear(): void {
    this.active = [];
  }

  rules(): FaultRule[] {
    return this.active.map((a) => structuredClone(a.rule));
  }

  counts(): FaultCounts {
    return structuredClone(this.tally);
  }

  resetCounts(): void {
    this.tally = { latency: 0, error: {}, hang: 0, conflict: 0 };
  }

  /** Rolls the dice for one request: every matching rule adds its latency; the first to fire decides. */
  decide(method: string, path: string): Decision {
    let latencyMs = 0;
    let latencyMode: 'real' | 'simulated' = 'real';
    let outcome: Outcome = { kind: 'pass' };
    for (const a of this.active) {
      const r = a.rule;
      if (r.method && r.method !== '*' && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!a.pattern.test(path)) continue;
      if (r.latencyMs) {
        latencyMs += r.latencyMs;
        latencyMode = r.latencyMode ?? latencyMode;
      }
      if (outcome.kind !== 'pass' || (r.limit !== undefined && a.injected >= r.limit)) continue;
      const roll = (p: number | undefined) => p !== undefined && p > 0 && this.prng.next() < p;
      if (roll(r.hangRate)) outcome = { kind: 'hang' };
      else if (roll(r.errorRate)) {
        const status = r.errorStatus ?? 500;
        outcome = {
          kind: 'error',
          status,
          ...(r.retryAfterSeconds !== undefined || status === 429
            ? { retryAfterSeconds: r.retryAfterSeconds ?? 1 }
            : {}),
        };
      } else if (isWrite(method) && roll(r.conflictRate)) outcome = { kind: 'conflict' };
      if (outcome.kind !== 'pass') a.injected += 1;
    }
    if (latencyMs > 0) this.tally.latency += 1;
    if (outcome.kind === 'error')
      this.tally.error[outcome.status] = (this.tally.error[outcome.status] ?? 0) + 1;
    else if (outcome.kind === 'hang') this.tally.hang += 1;
    else if (outcome.kind === 'conflict') this.tally.conflict += 1;
    return { latencyMs, latencyMode, outcome };
  }

  /** Answers every hanging request (close() calls this so the server can stop). */
  releaseHangs(): void {
    for (const release of this.hangs) release();
    this.hangs.clear();
  }

  private hang(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        this.hangs.delete(release);
        resolve();
      };
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', release, { once: true });
      this.hangs.add(release);
    });
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const path = c.req.path;
      if (path.startsWith('/_sim/')) return next();
      const d = this.decide(c.req.method, path);
      if (d.latencyMs > 0) {
        if (d.latencyMode === 'simulated') this.clock.advance(d.latencyMs);
        else await new Promise((r) => setTimeout(r, d.latencyMs));
      }
      const o = d.outcome;
      if (o.kind === 'pass') return next();
      if (o.kind === 'hang') {
        await this.hang(c.req.raw.signal);
        return errorResponse(new StatusError(504, 'Timeout', 'the request was abandoned (injected hang)'));
      }
      // Through the cluster proxy the member answers, about the member's resource.
      const target = proxiedPath(path) ?? path;
      const info = requestInfo(c.req.method, target);
      const subject = {
        resource: info.resource ?? '',
        group: info.apiGroup,
        ...(info.name ? { name: info.name } : {}),
      };
      if (o.kind === 'conflict') return errorResponse(conflict(subject));
      return errorResponse(faultError(o.status, o.retryAfterSeconds, subject, attributesOf(info, target)));
    };
  }
}

function faultError(
  status: (typeof FAULT_STATUSES)[number],
  retryAfter: number | undefined,
  subject: { resource: string; group: string; name?: string },
  attrs: Attributes,
): StatusError {
  switch (status) {
    case 403:
      return forbiddenRequest(attrs, FAULT_USER);
    case 404:
      return notFound(subject);
    case 429:
      return tooManyRequests(retryAfter ?? 1);
    case 500:
      return internalError('injected fault');
    case 503:
      return serviceUnavailable(
        'the server is currently unable to handle the request (injected fault)',
        retryAfter,
      );
    case 504:
      return new StatusError(
        504,
        'Timeout',
        'the server was unable to return a response in the time allotted (injected fault)',
      );
  }
}
