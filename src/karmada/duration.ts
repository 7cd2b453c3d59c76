// Go's time.ParseDuration for metav1.Duration strings ("30s", "1m0s", "1.5h", "500ms", "-2m3.4s"), as the
// metrics.k8s.io `window` field is serialised. Returns ms, or undefined for text Go would reject.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5,
};

export function parseGoDuration(text: string): number | undefined {
  const m = /^([+-])?(.*)$/.exec(text.trim());
  if (!m) return undefined;
  const body = m[2] ?? '';
  if (body === '0') return 0;
  if (body === '') return undefined;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < body.length) {
    part.lastIndex = at;
    const p = part.exec(body);
    if (!p) return undefined;
    total += Number(p[1]) * (UNIT_MS[p[2] ?? ''] ?? Number.NaN);
    at = part.lastIndex;
  }
  return m[1] === '-' ? -total : total;
}
