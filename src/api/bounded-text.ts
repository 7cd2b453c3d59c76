import { z } from 'zod';

// Strings that fhpa parses (names, label keys and values, selectors, quantities, schedules, time zones) are
// capped in the schemas, before any rule or regex reads them, so no field of a 1 MiB webhook body costs more
// than its cap (issue 18). The caps are far above Kubernetes' own limits (names 253, labels 63), which the
// validation rules still report with Karmada's messages; these only bound the work. `abort` stops zod from
// running the field's later checks (a pattern, a refinement) on text already refused.

/** The cap for identifier-like text: names, namespaces, kinds, label keys and values, selector operators. */
export const MAX_FIELD_TEXT = 1024;

/**
 * The longest schedule parsed. Every value of every field listed (0,1,…,59 minutes and so on) is under
 * 400 characters; longer text is a mistake or an attack.
 */
export const MAX_SCHEDULE_LENGTH = 1024;
/** The longest time zone name looked up (IANA names are under 40 characters). */
export const MAX_TIME_ZONE_LENGTH = 256;

/** A string of at most `max` characters; longer ones are refused with the cap, named. */
export const boundedText = (max = MAX_FIELD_TEXT) =>
  z.string().max(max, { message: `must be no more than ${max} characters`, abort: true });

/** A label map (matchLabels, metadata.labels): keys and values bounded. */
export const boundedLabels = () => z.record(boundedText(), boundedText());
