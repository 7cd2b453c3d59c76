// fhpa's own annotations on a FederatedHPA, all under one prefix, in one registry: the webhook refuses a bad
// value naming `metadata.annotations[KEY]`, and the pipeline reads the same parse. Adding an annotation means
// adding one entry to ANNOTATIONS (its parser) and one row to the README's table, nothing else. An unknown key
// under the prefix is refused too, so a typo (`pasued`) cannot silently do nothing.
//
// The names follow KEDA's (`autoscaling.keda.sh/paused`, `paused-replicas`), under fhpa's own group.

export const ANNOTATION_PREFIX = 'autoscaling.fhpa.io/';

export const MODE = `${ANNOTATION_PREFIX}mode`;
export const PAUSED = `${ANNOTATION_PREFIX}paused`;
export const PAUSED_REPLICAS = `${ANNOTATION_PREFIX}paused-replicas`;
export const FALLBACK_REPLICAS = `${ANNOTATION_PREFIX}fallback-replicas`;
export const FALLBACK_AFTER = `${ANNOTATION_PREFIX}fallback-after`;
/** Checked with spec.metrics by src/validation/metric-annotations.ts (PromQL, scale to zero). */
export const PROMETHEUS_ENDPOINT = `${ANNOTATION_PREFIX}prometheus`;
export const SCALE_TO_ZERO_AFTER = `${ANNOTATION_PREFIX}scale-to-zero-after`;

/** How fhpa treats one FederatedHPA: `active` writes, `shadow` decides beside another controller. */
export type Mode = 'active' | 'shadow';

export interface FhpaAnnotations {
  /** Absent: the deployment's FHPA_MODE. */
  mode?: Mode;
  paused?: boolean;
  /** Hold the workload at this count (KEDA's paused-replicas). */
  pausedReplicas?: number;
  /** Scale here after `fallbackAfter` evaluations in a row computed no metric. */
  fallbackReplicas?: number;
  fallbackAfter?: number;
}

export interface AnnotationError {
  key: string;
  value: string;
  message: string;
}

type Parser = (value: string) => { ok: true; set: Partial<FhpaAnnotations> } | { ok: false; message: string };

const INT32_MAX = 2_147_483_647;

function wholeNumber(min: number, max: number, field: (n: number) => Partial<FhpaAnnotations>): Parser {
  return (value) => {
    if (!/^[0-9]{1,10}$/.test(value)) return { ok: false, message: 'must be a whole number' };
    const n = Number(value);
    if (n < min) return { ok: false, message: `must be at least ${min}` };
    if (n > max) return { ok: false, message: `must be at most ${max}` };
    return { ok: true, set: field(n) };
  };
}

function oneOf<T extends string>(values: readonly T[], field: (v: T) => Partial<FhpaAnnotations>): Parser {
  return (value) =>
    (values as readonly string[]).includes(value)
      ? { ok: true, set: field(value as T) }
      : { ok: false, message: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` };
}

// Replica counts are int32 like spec.maxReplicas. paused-replicas may be 0 (KEDA's form stops a workload);
// a fallback of 0 is never inside Karmada's min/max (minReplicas ≥ 1), so it starts at 1.
const ANNOTATIONS: Record<string, Parser> = {
  [MODE]: oneOf(['active', 'shadow'] as const, (mode) => ({ mode })),
  [PAUSED]: oneOf(['true', 'false'] as const, (v) => ({ paused: v === 'true' })),
  [PAUSED_REPLICAS]: wholeNumber(0, INT32_MAX, (pausedReplicas) => ({ pausedReplicas })),
  [FALLBACK_REPLICAS]: wholeNumber(1, INT32_MAX, (fallbackReplicas) => ({ fallbackReplicas })),
  [FALLBACK_AFTER]: wholeNumber(1, 100, (fallbackAfter) => ({ fallbackAfter })),
  // Known here so they are not refused as unknown; their values are metric-annotations.ts's to check.
  [PROMETHEUS_ENDPOINT]: () => ({ ok: true, set: {} }),
  [SCALE_TO_ZERO_AFTER]: () => ({ ok: true, set: {} }),
};

/** KEDA's fallback failureThreshold default. */
export const DEFAULT_FALLBACK_AFTER = 3;

export const KNOWN_ANNOTATIONS: readonly string[] = Object.keys(ANNOTATIONS);

/** Parses every annotation under the prefix; others are not fhpa's and are ignored. */
export function parseAnnotations(annotations: Record<string, string> | undefined): {
  settings: FhpaAnnotations;
  errors: AnnotationError[];
} {
  const settings: FhpaAnnotations = {};
  const errors: AnnotationError[] = [];
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const parse = ANNOTATIONS[key];
    if (!parse) {
      errors.push({ key, value, message: `unknown fhpa annotation; known: ${KNOWN_ANNOTATIONS.join(', ')}` });
      continue;
    }
    const parsed = parse(value);
    if (parsed.ok) Object.assign(settings, parsed.set);
    else errors.push({ key, value, message: parsed.message });
  }
  if (settings.fallbackAfter !== undefined && settings.fallbackReplicas === undefined) {
    errors.push({
      key: FALLBACK_AFTER,
      value: String(settings.fallbackAfter),
      message: `needs ${FALLBACK_REPLICAS}`,
    });
  }
  return { settings, errors };
}

/** The field path the webhook names: metadata.annotations[KEY]. */
export function annotationPath(key: string): string {
  return `metadata.annotations[${key}]`;
}
