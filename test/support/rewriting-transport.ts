import type { Transport } from '../../src/karmada/transport.ts';

/**
 * A transport in front of the simulator that sets one value (at a path of keys and indexes) in the JSON answer
 * of every GET whose path matches: a Karmada answering what the simulator would not (impossible state, a
 * custom resource's scale without a selector).
 */
export function rewriting(match: RegExp, at: ReadonlyArray<string | number>, value: unknown): Transport {
  return async (req) => {
    const res = await fetch(req);
    if (req.method !== 'GET' || !match.test(new URL(req.url).pathname)) return res;
    const body: unknown = await res.json();
    let node = body as Record<string | number, unknown>;
    for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[at.at(-1)!] = value;
    return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
  };
}
