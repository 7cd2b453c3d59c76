import { describe, expect, it } from 'vitest';
import { allocateWebsterSeats, fnv32a, nameOrderForUid } from '../../src/placement/webster.ts';

// UIDs from karmada pkg/util/helper/binding_test.go (evenUID / oddUID).
const EVEN_UID = '4858ca61-3ff8-4095-8267-f3d059d8074c';
const ODD_UID = 'd43fdeeb-d750-4e2b-bee3-64eb94534f4c';

const seats = (parties: { name: string; seats: number }[]) =>
  Object.fromEntries(parties.map((p) => [p.name, p.seats]));
const votes = (o: Record<string, number>) => new Map(Object.entries(o));

describe('fnv32a and the tie-break direction', () => {
  it.each([
    // Published FNV-1a 32-bit test vectors.
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('hashes %j to the FNV-1a 32-bit value', (text, hash) => {
    expect(fnv32a(text)).toBe(hash);
  });

  it.each([
    [undefined, 'ascending'],
    ['', 'ascending'],
    [EVEN_UID, 'ascending'],
    [ODD_UID, 'descending'],
  ] as const)('uid %j breaks name ties %s (binding.go#tieBreakerByUID)', (uid, order) => {
    expect(nameOrderForUid(uid)).toBe(order);
  });
});

// karmada pkg/util/helper/webstermethod_test.go#TestAllocateWebsterSeats (at f8fdd02df): the Wikipedia
// Sainte-Laguë example, 230,000 votes over 8 seats, one row per round. Round 6 is a tie, A 100000/5 =
// D 20000/1, which Karmada gives to D because it has fewer seats.
const classic = votes({ PartyA: 100000, PartyB: 80000, PartyC: 30000, PartyD: 20000 });
describe('allocateWebsterSeats — classic example (webstermethod_test.go#TestAllocateWebsterSeats)', () => {
  it.each([
    [1, [1, 0, 0, 0]],
    [2, [1, 1, 0, 0]],
    [3, [2, 1, 0, 0]],
    [4, [2, 1, 1, 0]],
    [5, [2, 2, 1, 0]],
    [6, [2, 2, 1, 1]],
    [7, [3, 2, 1, 1]],
    [8, [3, 3, 1, 1]],
  ])('round %i gives A:B:C:D = %j', (n, [a, b, c, d]) => {
    expect(seats(allocateWebsterSeats(n, classic))).toEqual({ PartyA: a, PartyB: b, PartyC: c, PartyD: d });
  });
});

describe('allocateWebsterSeats — edge and tie cases (webstermethod_test.go#TestAllocateWebsterSeats)', () => {
  const cases: {
    name: string;
    newSeats: number;
    votes: Record<string, number>;
    initial?: Record<string, number>;
    order?: 'ascending' | 'descending';
    want: Record<string, number>;
  }[] = [
    { name: 'empty party votes → no parties', newSeats: 1, votes: {}, want: {} },
    {
      name: 'newSeats 0 → all seats 0',
      newSeats: 0,
      votes: { PartyA: 100, PartyB: 200 },
      want: { PartyA: 0, PartyB: 0 },
    },
    { name: 'more votes wins', newSeats: 1, votes: { PartyA: 1, PartyB: 2 }, want: { PartyA: 0, PartyB: 1 } },
    {
      name: 'equal priority: fewer seats wins',
      newSeats: 1,
      votes: { PartyA: 0, PartyB: 0 },
      initial: { PartyA: 2, PartyB: 1 },
      want: { PartyA: 2, PartyB: 2 },
    },
    {
      name: 'equal priority and seats: name ascending',
      newSeats: 1,
      votes: { PartyA: 1, PartyB: 1 },
      want: { PartyA: 1, PartyB: 0 },
    },
    {
      name: 'equal priority and seats: name descending',
      newSeats: 1,
      votes: { PartyA: 1, PartyB: 1 },
      order: 'descending',
      want: { PartyA: 0, PartyB: 1 },
    },
    {
      name: 'new parties joining take the new seats from a 0-vote old party',
      newSeats: 2,
      votes: { NewParty1: 1, NewParty2: 1 },
      initial: { OldParty: 0 },
      want: { NewParty1: 1, NewParty2: 1, OldParty: 0 },
    },
    {
      name: 'old and new parties compete: the old seat counts',
      newSeats: 2,
      votes: { OldParty: 1, NewParty: 1 },
      initial: { OldParty: 1 },
      want: { NewParty: 2, OldParty: 1 },
    },
    {
      name: 'a party with only initial seats gets no new seats',
      newSeats: 2,
      votes: { PartyA: 100 },
      initial: { PartyB: 3 },
      want: { PartyA: 2, PartyB: 3 },
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = allocateWebsterSeats(c.newSeats, votes(c.votes), votes(c.initial ?? {}), c.order);
    expect(seats(got)).toEqual(c.want);
    expect(got.map((p) => p.name)).toEqual(Object.keys(c.want).sort());
  });

  it('Example: 1200:900:400 over 4 seats → 2/1/1 (webstermethod_test.go#ExampleAllocateWebsterSeats)', () => {
    expect(seats(allocateWebsterSeats(4, votes({ Alpha: 1200, Beta: 900, Gamma: 400 })))).toEqual({
      Alpha: 2,
      Beta: 1,
      Gamma: 1,
    });
  });
});
