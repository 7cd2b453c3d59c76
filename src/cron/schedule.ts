import { Cron } from 'croner';
import { MAX_SCHEDULE_LENGTH, MAX_TIME_ZONE_LENGTH } from '../api/bounded-text.ts';

// CronFederatedHPA schedules. Karmada checks a schedule twice, with two different parsers:
// - its validating webhook with adhocore/gronx `IsValid` (pkg/webhook/cronfederatedhpa/validating.go), which
//   also takes 6/7 fields, L/W/#, `@always`/`@5minutes`…, 7 as Sunday and, because it evaluates segments
//   against time.Now() and stops at the first matching list element, some malformed lists;
// - its controller with robfig/cron v3 `ParseStandard` via go-co-op/gocron
//   (pkg/controllers/cronfederatedhpa/cronfederatedhpa_handler.go), which takes exactly 5 fields, `?`,
//   `N/step`, the descriptors and `@every`.
// A schedule only one of them takes either fails at apply time or fails later in the controller
// (StartRuleFailed), so fhpa accepts only what both accept, and reports why anything else is refused.
//
// Next instants follow robfig/cron's SpecSchedule.Next: day-of-month and day-of-week are ANDed when either
// starts with `*`/`?` (without a step above 1) and ORed otherwise; a wall time skipped by a DST change is
// skipped, and a wall time that occurs twice fires twice. croner computes them in the time zone.

/**
 * Strips blanks (space, tab) from both ends in one pass. A regex for trailing blanks is retried at every
 * position of a run of blanks that is not at the end, which is quadratic in the run's length.
 */
export function trimBlanks(s: string): string {
  const blank = (i: number) => {
    const c = s.charCodeAt(i);
    return c === 32 || c === 9;
  };
  let start = 0;
  let end = s.length;
  while (start < end && blank(start)) start++;
  while (end > start && blank(end - 1)) end--;
  return s.slice(start, end);
}

export type ParsedSchedule =
  | { ok: true; next(afterMs: number): number | undefined }
  | { ok: false; message: string };

// robfig/cron parseDescriptor's table; gronx's `expressions` has the same entries except @midnight.
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  nameBase?: number;
}

// robfig/cron's bounds (parser.go: minutes, hours, dom, months, dow). Day-of-week stops at 6: robfig
// refuses 7 even though gronx reads it as Sunday.
const FIELDS: FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { label: 'day-of-week', min: 0, max: 6, names: DAY_NAMES, nameBase: 0 },
];

interface ParsedField {
  values: Set<number>;
  /** robfig's starBit: the field is `*` or `?` (step 1 at most). */
  star: boolean;
}

type FieldResult = { ok: true; field: ParsedField } | { ok: false; message: string };

function parseValue(text: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) return `${spec.label} value ${text} is outside ${spec.min}-${spec.max}`;
    return n;
  }
  const i = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (i >= 0) return i + (spec.nameBase ?? 0);
  if (/[LW#]/i.test(text))
    return `${spec.label} "${text}": L, W and # are not supported by Karmada's controller`;
  return `${spec.label} "${text}" is not a number${spec.names ? ' or a name' : ''}`;
}

function parseItem(item: string, spec: FieldSpec, into: ParsedField): string | undefined {
  const slash = item.split('/');
  if (slash.length > 2) return `${spec.label} "${item}" has more than one "/"`;
  const [rangeText = '', stepText] = slash;
  let step = 1;
  if (stepText !== undefined) {
    // Both parsers read the step as a plain integer (no names), and both refuse 0.
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
      return `${spec.label} "${item}": the step must be a positive integer`;
    }
    step = Number(stepText);
  }
  let low: number;
  let high: number;
  if (rangeText === '*' || rangeText === '?') {
    // gronx only knows `*/n` as a step base (`?/n` fails its Atoi).
    if (rangeText === '?' && stepText !== undefined) return `${spec.label} "${item}": use "*/" for a step`;
    low = spec.min;
    high = spec.max;
    if (step === 1) into.star = true;
  } else {
    const bounds = rangeText.split('-');
    if (bounds.length > 2) return `${spec.label} "${item}" is not a valid range`;
    const lo = parseValue(bounds[0] ?? '', spec);
    if (typeof lo === 'string') return lo;
    low = lo;
    if (bounds.length === 2) {
      const hi = parseValue(bounds[1] ?? '', spec);
      if (typeof hi === 'string') return hi;
      high = hi;
      if (high < low) return `${spec.label} range "${rangeText}" ends before it starts`;
    } else {
      // robfig: "N/step" means N-max/step; a bare N is just N.
      high = stepText === undefined ? low : spec.max;
    }
  }
  for (let v = low; v <= high; v += step) into.values.add(v);
  return undefined;
}

function parseField(text: string, spec: FieldSpec): FieldResult {
  const field: ParsedField = { values: new Set(), star: false };
  for (const item of text.split(',')) {
    if (item === '') return { ok: false, message: `${spec.label} "${text}" has an empty list element` };
    const problem = parseItem(item, spec, field);
    if (problem !== undefined) return { ok: false, message: problem };
  }
  return { ok: true, field };
}

function render(f: ParsedField, spec: FieldSpec): string {
  if (f.star || f.values.size === spec.max - spec.min + 1) return '*';
  return [...f.values].sort((a, b) => a - b).join(',');
}

// Days in each month, February counted as 29: robfig searches five years ahead, so 29 Feb is reachable.
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether some day matches: only a day-of-month list ANDed with the months can rule out every date. */
function canFire(dom: ParsedField, month: ParsedField, dow: ParsedField): boolean {
  const anded = dom.star || dow.star;
  if (!anded || dom.star) return true;
  const firstDay = Math.min(...dom.values);
  return [...month.values].some((m) => firstDay <= (MONTH_DAYS[m - 1] ?? 0));
}

function describe(expr: string): string {
  if (expr.startsWith('@every')) {
    return '"@every" is not supported: Karmada\'s webhook (gronx) refuses it, and its instants depend on when the rule started';
  }
  if (/^(CRON_)?TZ=/.test(expr)) return "a TZ= prefix is not supported: set the rule's timeZone instead";
  if (expr === '@midnight') return '"@midnight" is not supported by Karmada\'s webhook (gronx): use "@daily"';
  return `unknown descriptor "${expr.split(/\s/)[0]}": supported are ${Object.keys(DESCRIPTORS).join(', ')}`;
}

/**
 * Parses a CronFederatedHPA schedule in `timeZone` (IANA name; undefined, "" and "UTC" mean UTC).
 * `next(afterMs)` is the first instant strictly after `afterMs`, or undefined when there is none.
 */
export function parseSchedule(expr: string, timeZone?: string): ParsedSchedule {
  // Checked before any parsing, so no input costs more than a schedule this long (issue 18: a trim regex
  // quadratic in a run of blanks stalled the server for minutes on one AdmissionReview).
  if (expr.length > MAX_SCHEDULE_LENGTH) {
    return { ok: false, message: `schedule is longer than ${MAX_SCHEDULE_LENGTH} characters` };
  }
  if (timeZone !== undefined && timeZone.length > MAX_TIME_ZONE_LENGTH) {
    return { ok: false, message: `time zone is longer than ${MAX_TIME_ZONE_LENGTH} characters` };
  }
  // Go's TrimSpace before a descriptor (robfig), gronx's Trim(" \t").
  const trimmed = trimBlanks(expr);
  if (trimmed === '') return { ok: false, message: 'schedule is empty' };
  let fieldsText = trimmed;
  if (trimmed.startsWith('@') || /^(CRON_)?TZ=/.test(trimmed)) {
    // robfig matches descriptors case-sensitively, gronx case-insensitively: lower case only.
    const expanded = DESCRIPTORS[trimmed];
    if (expanded === undefined) return { ok: false, message: describe(trimmed) };
    fieldsText = expanded;
  }
  const parts = fieldsText.split(/[ \t]+/);
  if (parts.length !== 5) {
    return {
      ok: false,
      message: `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}${parts.length > 5 ? ": Karmada's controller refuses seconds and years" : ''}`,
    };
  }
  const fields: ParsedField[] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const r = parseField(parts[i] ?? '', spec);
    if (!r.ok) return { ok: false, message: r.message };
    fields.push(r.field);
  }
  const [minute, hour, dom, month, dow] = fields as [
    ParsedField,
    ParsedField,
    ParsedField,
    ParsedField,
    ParsedField,
  ];

  const zone = timeZone === undefined || timeZone === '' || timeZone === 'Local' ? 'UTC' : timeZone;
  if (!isValidTimeZone(zone)) return { ok: false, message: `unknown time zone ${zone}` };
  if (!canFire(dom, month, dow)) return { ok: true, next: () => undefined };

  // A 6-part croner pattern: seconds `*/60` (= second 0) makes croner treat every job as an "interval"
  // job, which is robfig's DST behaviour (skip the gap, fire on both occurrences). The other fields are
  // canonical lists, so croner's own syntax rules and its `*`-detection for dom/dow see robfig's meaning.
  const pattern = [
    '*/60',
    render(minute, FIELDS[0]!),
    render(hour, FIELDS[1]!),
    render(dom, FIELDS[2]!),
    render(month, FIELDS[3]!),
    render(dow, FIELDS[4]!),
  ].join(' ');
  const cron = new Cron(pattern, { timezone: zone, paused: true, domAndDow: false });
  return {
    ok: true,
    next(afterMs: number): number | undefined {
      const d = cron.nextRun(new Date(afterMs));
      return d === null ? undefined : d.getTime();
    },
  };
}

let zoneNames: Map<string, string> | undefined;

/**
 * Whether Go's time.LoadLocation (with Karmada's embedded tzdata) would load `tz`: "" and "UTC" are
 * UTC, "Local" is the process's zone (UTC wherever fhpa runs), and other names are IANA names, matched
 * case-sensitively as Go's zoneinfo lookup does (Intl alone would accept "europe/paris").
 */
export function isValidTimeZone(tz: string): boolean {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return true;
  if (tz.length > MAX_TIME_ZONE_LENGTH) return false;
  // Intl also accepts offsets such as "+05:00", which Go does not.
  if (!/^[A-Za-z]/.test(tz)) return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  if (resolved === tz) return true;
  zoneNames ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  const known =
    zoneNames.get(tz.toLowerCase()) ?? (resolved.toLowerCase() === tz.toLowerCase() ? resolved : undefined);
  // A known name in another case is a different (missing) file for Go; an alias (US/Eastern) is fine.
  return known === undefined || known === tz;
}
