// Webster / Sainte-Laguë seat allocation, as Karmada splits weighted replicas since v1.16
// (karmada pkg/util/helper/webstermethod.go#AllocateWebsterSeats, binding.go#Dispenser, tieBreakerByUID).

export interface Party {
  name: string;
  votes: number;
  seats: number;
}

/**
 * FNV-32a of the UTF-8 bytes of `text` (Go's hash/fnv New32a), as an unsigned 32-bit integer.
 * Math.imul keeps the multiply by the FNV prime exact in 32 bits.
 */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Which name wins a tie of equal priority and equal seats: Karmada derives a stable but per-object
 * direction from the resource UID so that equal clusters do not always favour the same name
 * (binding.go#tieBreakerByUID: odd FNV-32a → descending names, even or empty UID → ascending).
 */
export function nameOrderForUid(uid: string | undefined): 'ascending' | 'descending' {
  if (uid === undefined || uid === '') return 'ascending';
  return (fnv32a(uid) & 1) === 1 ? 'descending' : 'ascending';
}

/** True when `a` should receive the next seat before `b`. */
function before(a: Party, b: Party, order: 'ascending' | 'descending'): boolean {
  // Go compares float64(votes)/float64(2*seats+1); JS numbers are the same doubles.
  const pa = a.votes / (2 * a.seats + 1);
  const pb = b.votes / (2 * b.seats + 1);
  if (pa !== pb) return pa > pb;
  // Fewer seats first: Karmada favours smaller clusters for HA (webstermethod.go#Less).
  if (a.seats !== b.seats) return a.seats < b.seats;
  return order === 'ascending' ? a.name < b.name : a.name > b.name;
}

/**
 * Give `newSeats` seats one at a time to the party with the highest votes/(2·seats+1).
 * Parties that only have initial seats take part with 0 votes (AllocateWebsterSeats). Returns the
 * parties sorted by name. Cost is O(newSeats × parties): Karmada pops a heap per seat as well, and
 * the number of clusters is small.
 */
export function allocateWebsterSeats(
  newSeats: number,
  votes: ReadonlyMap<string, number>,
  initialSeats: ReadonlyMap<string, number> = new Map(),
  order: 'ascending' | 'descending' = 'ascending',
): Party[] {
  const parties = new Map<string, Party>();
  for (const [name, seats] of initialSeats) parties.set(name, { name, votes: 0, seats });
  for (const [name, v] of votes) {
    const p = parties.get(name);
    if (p) p.votes = v;
    else parties.set(name, { name, votes: v, seats: 0 });
  }
  const list = [...parties.values()];
  if (list.length === 0) return [];
  for (let remaining = newSeats; remaining > 0; remaining--) {
    let best = list[0]!;
    for (const p of list) if (before(p, best, order)) best = p;
    best.seats++;
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
