import { fnv32a } from '../placement/webster.ts';

// Seeded pseudo-random numbers, so that UIDs, pod names and fault injection repeat exactly from one
// run to the next for the same seed and the same sequence of requests.

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** mulberry32: a small, fast 32-bit generator; plenty for simulation, not for anything secret. */
export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A version-4-shaped UUID drawn from `prng` (the shape of the UIDs the API server assigns). */
export function uuidFrom(prng: Prng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(prng.next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * The UID of the `n`-th object created under `key` (kind/namespace/name): derived from the seed and the
 * object's identity alone, so it does not shift when other objects are created first. UIDs matter beyond
 * identity: Karmada breaks ties of its replica division by the resource UID (binding.go#tieBreakerByUID).
 */
export function objectUid(seed: number, key: string, n: number): string {
  return uuidFrom(createPrng(fnv32a(`${seed}/${key}/${n}`)));
}

// apimachinery/pkg/util/rand#SafeEncodeString's alphabet: no vowels, no look-alike characters.
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** `n` characters of the alphabet Kubernetes uses for generated name suffixes. */
export function safeSuffix(prng: Prng, n: number): string {
  return Array.from({ length: n }, () => SAFE.charAt(Math.floor(prng.next() * SAFE.length))).join('');
}

/** rand.SafeEncodeString of a number: how a pod-template-hash is spelled. */
export function safeEncode(value: number): string {
  let v = value >>> 0;
  let out = '';
  do {
    out += SAFE.charAt(v % SAFE.length);
    v = Math.floor(v / SAFE.length);
  } while (v > 0);
  return out;
}
