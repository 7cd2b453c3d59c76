import { readFileSync } from 'node:fs';

// fhpa's CPU per evaluation against a floor measured in the same run (issue 13.2): the CPU time of parsing
// the very response bodies fhpa received during the timed sweep with plain JSON.parse and nothing else. No
// client can spend less on the same answers, so cpuToFloorRatio says how much fhpa adds to reading them
// (HTTP client, validation, engine, status, logging) whatever else the shared machine runs, and it follows
// the request structure: fewer or larger responses move the floor too. The bodies are captured on the
// simulator's side (SimState.tapResponses), so capturing them costs fhpa's thread nothing.
//
// Used by the sweep benchmark and the fleet benchmark: cpuFigures() after the timed part, with the CPU
// seconds fhpa's threads were given (threadCpuSeconds() before and after), the evaluations and the bodies.

export interface CpuFigures {
  /** CPU ms fhpa's thread was given per evaluation. */
  cpuMsPerEval: number | null;
  /** CPU ms of JSON.parse over the same responses, per evaluation. */
  floorMsPerEval: number | null;
  /** cpuMsPerEval / floorMsPerEval. */
  cpuToFloorRatio: number | null;
}

/**
 * User + system CPU seconds of the calling thread, from /proc/thread-self/stat; null where there is no procfs.
 * Per thread, unlike process.cpuUsage(), so fhpa's thread and the simulator's are told apart.
 */
export function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // After the parenthesised command name come fields 3...; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

// USER_HZ, in which procfs reports CPU time: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds of one JSON.parse pass over `bodies` on this thread. procfs counts in 10 ms ticks, so passes
 * repeat until at least `minCpuSeconds` have been spent (and at least 3 passes), and the mean is returned.
 * Null without procfs or without bodies.
 */
export function parseFloorSeconds(bodies: readonly string[], minCpuSeconds = 1): number | null {
  if (bodies.length === 0) return null;
  const start = threadCpuSeconds();
  if (start === null) return null;
  let passes = 0;
  let objects = 0;
  let spent = 0;
  while (passes < 3 || spent < minCpuSeconds) {
    for (const body of bodies) {
      // Empty bodies (a 204) are not JSON; fhpa reads them as nothing, so they cost nothing here either.
      if (body !== '' && typeof JSON.parse(body) === 'object') objects++;
    }
    passes++;
    spent = (threadCpuSeconds() ?? start) - start;
  }
  // The count keeps the parse observable, so no engine may drop it.
  if (objects < 0) throw new Error('unreachable');
  return spent / passes;
}

export function cpuFigures(input: {
  cpuSeconds: number | null;
  evaluations: number;
  bodies: readonly string[];
  /** CPU seconds the floor's passes must add up to (parseFloorSeconds); default 1. */
  minFloorCpuSeconds?: number;
}): CpuFigures {
  const { cpuSeconds, evaluations, bodies } = input;
  const perEval = (s: number | null) =>
    s === null || evaluations === 0 ? null : round3((s * 1000) / evaluations);
  const cpuMsPerEval = perEval(cpuSeconds);
  const floorSeconds = parseFloorSeconds(bodies, input.minFloorCpuSeconds);
  const floorMsPerEval = perEval(floorSeconds);
  return {
    cpuMsPerEval,
    floorMsPerEval,
    cpuToFloorRatio:
      cpuSeconds === null || floorSeconds === null || floorSeconds === 0
        ? null
        : Math.round((cpuSeconds / floorSeconds) * 10) / 10,
  };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
