import fc from 'fast-check';
import { showPath } from '../../src/app/json-body.ts';
import {
  admissionReview,
  alertNotification,
  cronFederatedHPA,
  federatedHPAFor,
  type WorkloadRef,
} from './fixtures.ts';
import type { RawRequest } from './raw-http.ts';

// The bad requests the fuzz benchmark (bench/fuzz.ts) and its small version (test/reliability/fuzz.test.ts)
// send, as fast-check arbitraries: every route of src/app, every way a sender gets a request wrong, and what
// a correct server answers each one with. Pure: nothing here opens a socket.
//
// Most cases start from a valid request (an AdmissionReview as the Karmada API server sends it, an
// Alertmanager v4 notification) and break one thing, so the answer can be held to naming that thing.

export const ROUTES = [
  'healthz',
  'readyz',
  'validate-federatedhpa',
  'validate-cronfederatedhpa',
  'validate',
  'alerts',
  'evaluate',
  'sweep',
  'metrics',
  'unknown',
] as const;
export type Route = (typeof ROUTES)[number];

export const KINDS = [
  'malformed-json',
  'truncated-json',
  'wrong-type',
  'huge-body',
  'deep-nesting',
  'wrong-method',
  'content-type',
  'auth',
  'non-utf8',
  'huge-header',
  'bad-path',
  'framing',
  'noise',
  'hostile-text',
] as const;
export type Kind = (typeof KINDS)[number];

/** What the generated requests are aimed at. */
export interface FuzzTarget {
  /** The bearer token the protected routes (/alerts, /evaluate, /sweep) accept. */
  token: string;
  /** The app's maxBodyBytes, which bounds /alerts (and, since they share it, the admission routes). */
  alertsMaxBytes: number;
  /** The admission routes' own bound (src/app/admission.ts). */
  admissionMaxBytes: number;
  /** A FederatedHPA that exists, so valid-looking alerts and evaluations run the whole pipeline. */
  workload: WorkloadRef;
}

export interface FuzzCase {
  route: Route;
  kind: Kind;
  request: RawRequest;
  /** The statuses a correct server answers with; anything else is counted (not a failure by itself). */
  expect: readonly number[];
  /** A 4xx answer's message must contain one of these (the field or header the case broke). */
  names?: readonly string[];
  /**
   * Cut short or broken framing: the sender closes its side after writing, and the server may close without
   * answering; that is no crash.
   */
  mayClose?: boolean;
}

type Known = Exclude<Route, 'unknown'>;

interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  auth: boolean;
  /** The JSON body the route reads, if any. */
  body?: 'admission' | 'alertmanager';
  /** What it answers a request that is right in every way the case did not touch. */
  ok: readonly number[];
}

function routeSpecs(t: FuzzTarget): Record<Known, RouteSpec> {
  const admission = (path: string): RouteSpec => ({
    method: 'POST',
    path,
    auth: false,
    body: 'admission',
    ok: [200],
  });
  return {
    healthz: { method: 'GET', path: '/healthz', auth: false, ok: [200] },
    readyz: { method: 'GET', path: '/readyz', auth: false, ok: [200] },
    'validate-federatedhpa': admission('/validate-federatedhpa'),
    'validate-cronfederatedhpa': admission('/validate-cronfederatedhpa'),
    validate: admission('/validate'),
    alerts: { method: 'POST', path: '/alerts', auth: true, body: 'alertmanager', ok: [200] },
    // 409: two evaluations of one FederatedHPA at once, the later status write loses (superseded)
    evaluate: {
      method: 'POST',
      path: `/evaluate/${t.workload.namespace}/${t.workload.name}`,
      auth: true,
      ok: [200, 409],
    },
    sweep: { method: 'POST', path: '/sweep', auth: true, ok: [200] },
    metrics: { method: 'GET', path: '/metrics', auth: false, ok: [200] },
  };
}

const KNOWN: readonly Known[] = ROUTES.filter((r): r is Known => r !== 'unknown');
const JSON_ROUTES: readonly Known[] = [
  'validate-federatedhpa',
  'validate-cronfederatedhpa',
  'validate',
  'alerts',
];
const PROTECTED: readonly Known[] = ['alerts', 'evaluate', 'sweep'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** A valid body for a JSON route: what its real sender sends. */
function validBody(route: Known, t: FuzzTarget, useCron: boolean): Json {
  const uid = '7b3f2a10-0000-4000-8000-000000000008';
  if (route === 'alerts') return alertNotification([t.workload]) as Json;
  const cron = route === 'validate-cronfederatedhpa' || (route === 'validate' && useCron);
  return (
    cron
      ? admissionReview(cronFederatedHPA(), uid, 'CronFederatedHPA')
      : admissionReview(federatedHPAFor(t.workload) as unknown as Record<string, unknown>, uid)
  ) as Json;
}

/** Every path in a JSON value below the root. */
function pathsOf(v: Json, at: Segment[] = []): Segment[][] {
  const out: Segment[][] = [];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push([...at, i], ...pathsOf(x, [...at, i]));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push([...at, k], ...pathsOf(x, [...at, k]));
  return out;
}

function getAt(v: Json, path: readonly Segment[]): Json {
  let cur: Json = v;
  for (const p of path) cur = (cur as Record<string, Json>)[p as string] ?? null;
  return cur;
}

/** A copy of `v` with the value at `path` replaced, or removed when `value` is undefined. */
function setAt(v: Json, path: readonly Segment[], value: Json | undefined): Json {
  const copy = structuredClone(v);
  const parent = getAt(copy, path.slice(0, -1)) as Record<string, Json> | Json[];
  const last = path[path.length - 1]!;
  if (value !== undefined) (parent as Record<string, Json>)[last as string] = value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last as string];
  return copy;
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Values no field of either payload accepts in every place, edge cases first. */
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    0,
    -1,
    1.5,
    1e308,
    2 ** 53 + 1,
    '',
    ' ',
    '\u0000',
    '\ud800',
    'x'.repeat(10_000),
    '../../etc/passwd',
    '<script>',
    [],
    {},
    [null],
    { '': null },
  ),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

type Mutation =
  | { op: 'replace'; at: number; value: Json }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      at: fc.nat(),
      key: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', ''),
        fc.string({ maxLength: 12 }),
      ),
      value: wrongValue,
    }),
  },
);

/** Applies the mutations in turn; returns the body and the paths they broke. */
function mutate(base: Json, mutations: readonly Mutation[]): { body: Json; broken: string[] } {
  let body = base;
  const broken: string[] = [];
  for (const m of mutations) {
    const paths = pathsOf(body);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length]!;
    if (m.op === 'replace') body = setAt(body, path, m.value);
    else if (m.op === 'delete') body = setAt(body, path, undefined);
    else {
      const target = getAt(body, path);
      if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
      // defineProperty: a plain assignment of "__proto__" would set the prototype, not add the key
      const copy = structuredClone(body);
      Object.defineProperty(getAt(copy, path), m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      body = copy;
    }
    // A removed array element shifts its siblings: the parent is what an error can name.
    broken.push(
      showPath(m.op === 'delete' && typeof path[path.length - 1] === 'number' ? path.slice(0, -1) : path),
    );
  }
  return { body, broken };
}

const goodAuth = (t: FuzzTarget): [string, string] => ['Authorization', `Bearer ${t.token}`];

function headers(
  spec: RouteSpec,
  t: FuzzTarget,
  extra: Array<[string, string]> = [],
): Array<[string, string]> {
  return [
    ...(spec.auth ? [goodAuth(t)] : []),
    ...(spec.body ? [['Content-Type', 'application/json'] as [string, string]] : []),
    ...extra,
  ];
}

const request = (
  spec: RouteSpec,
  t: FuzzTarget,
  body: Uint8Array,
  extra?: Array<[string, string]>,
): RawRequest => ({
  method: spec.method,
  target: spec.path,
  headers: headers(spec, t, extra),
  body,
  framing: { kind: 'length' },
});

const jsonRoute = fc.constantFrom(...JSON_ROUTES);
const anyRoute = fc.constantFrom(...KNOWN);

// ---- one arbitrary per kind --------------------------------------------------------------------------

function malformedJson(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  const text = fc.oneof(
    fc.constantFrom(
      '{',
      '}',
      '{"a":}',
      '{"a":1,}',
      '[1,]',
      "{'a':1}",
      'NaN',
      '{"a":1}}',
      'nul',
      'tru',
      '{"a":"\\x"}',
      '{"a" 1}',
      '\u0000',
      '{"apiVersion":"admission.k8s.io/v1",',
      '0x10',
      '+1',
      '.5',
      '"\\ud800',
    ),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  return fc.tuple(jsonRoute, text).map(([route, s]) => ({
    route,
    kind: 'malformed-json',
    request: request(specs[route], t, utf8(s)),
    // random text may happen to be JSON: then it is the wrong shape, still a 400
    expect: [400],
  }));
}

function truncatedJson(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(jsonRoute, fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([route, cron, at]) => {
      const full = JSON.stringify(validBody(route, t, cron));
      // every proper prefix of an object is invalid JSON; at least one byte, so it is not the empty-body case
      const cut = 1 + Math.floor(at * (full.length - 2));
      return {
        route,
        kind: 'truncated-json' as const,
        request: request(specs[route], t, utf8(full.slice(0, cut))),
        expect: [400],
        names: ['JSON'],
      };
    });
}

function wrongType(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(jsonRoute, fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([route, cron, mutations]) => {
      const { body, broken } = mutate(validBody(route, t, cron), mutations);
      return {
        route,
        kind: 'wrong-type' as const,
        request: request(specs[route], t, utf8(JSON.stringify(body))),
        // 200: the mutation hit a loose or optional field, or an object the validator then denied (allowed: false)
        expect: [200, 400],
        names: broken,
      };
    });
}

function hugeBody(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(jsonRoute, fc.nat({ max: 1_000_000 }), fc.constantFrom('length', 'chunked', 'declared'))
    .map(([route, over, framing]) => {
      const limit = route === 'alerts' ? t.alertsMaxBytes : t.admissionMaxBytes;
      const size = limit + 1 + (over % limit);
      const spec = specs[route];
      const req: RawRequest =
        framing === 'declared'
          ? // a Content-Length over the limit on a small body: refused before any of it is read
            { ...request(spec, t, utf8('{}')), framing: { kind: 'declared', declared: size } }
          : {
              ...request(spec, t, new Uint8Array()),
              body: { prefix: '{"pad":"', unit: 'x', times: size, suffix: '"}' },
              framing: framing === 'chunked' ? { kind: 'chunked', size: 16 * 1024 } : { kind: 'length' },
            };
      return { route, kind: 'huge-body' as const, request: req, expect: [413], names: ['larger than'] };
    });
}

/**
 * A value nested deep at one field (or the whole body nested), half the cases near src/app/json-body.ts's
 * 100-level bound, the rest anywhere up to what the body limit holds (hundreds of thousands of levels).
 */
function deepNesting(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      jsonRoute,
      fc.boolean(),
      fc.nat(),
      fc.oneof(fc.integer({ min: 90, max: 110 }), fc.double({ min: 0, max: 1, noNaN: true })),
      fc.boolean(),
      fc.integer({ min: 0, max: 4 }),
    )
    .map(([route, cron, at, depthOrShare, arrays, whole]) => {
      const limit = route === 'alerts' ? t.alertsMaxBytes : t.admissionMaxBytes;
      const base = validBody(route, t, cron);
      const open = arrays ? '[' : '{"a":';
      const close = arrays ? ']' : '}';
      const depth = Number.isInteger(depthOrShare)
        ? depthOrShare
        : 10 + Math.floor(depthOrShare * ((limit - 4096) / (open.length + close.length) - 10));
      const nested = `${open.repeat(depth)}${arrays ? '' : '1'}${close.repeat(depth)}`;
      const paths = pathsOf(base);
      const path = paths[at % paths.length]!;
      // A marker swapped for the nested text after stringify: the nesting never exists as a value here.
      const marker = '__fhpa_fuzz_nested__';
      const text =
        whole === 0 ? nested : JSON.stringify(setAt(base, path, marker)).replace(`"${marker}"`, nested);
      return {
        route,
        kind: 'deep-nesting' as const,
        request: request(specs[route], t, utf8(text)),
        expect: [200, 400],
        ...(whole === 0 ? {} : { names: [showPath(path)] }),
      };
    });
}

// Not CONNECT: Node's http server destroys the socket of a CONNECT when nothing listens for 'connect', and
// src/node-server.ts does not listen, so every one would count as a crash. That is a gap of the Node
// serving code, not of the app, left out here until node-server.ts answers it (405 with a JSON body).
const OTHER_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'HEAD',
  'PROPFIND',
  'MKCOL',
  'SEARCH',
  'PURGE',
];
// Not methods to Node's parser at all: refused with its own bare 400 before the app sees them.
const NOT_METHODS = ['FOO', 'get', 'BREW'];

function wrongMethod(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      anyRoute,
      fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...OTHER_METHODS) }, fc.constantFrom(...NOT_METHODS)),
      fc.boolean(),
      fc.boolean(),
    )
    .filter(
      ([route, method]) =>
        method !== specs[route].method && !(method === 'HEAD' && specs[route].method === 'GET'),
    )
    .map(([route, method, withAuth, withBody]) => {
      const spec = specs[route];
      const body =
        withBody && spec.body ? utf8(JSON.stringify(validBody(route, t, false))) : new Uint8Array();
      const req = request(spec, t, body);
      return {
        route,
        kind: 'wrong-method' as const,
        request: {
          ...req,
          method,
          headers: withAuth ? req.headers : req.headers.filter(([h]) => h !== 'Authorization'),
        },
        // 405 with an Allow header (bench/fuzz.ts#judge checks it), never 404: the path is served
        expect: [
          405,
          ...(spec.auth && !withAuth ? [401] : []),
          ...(NOT_METHODS.includes(method) ? [400] : []),
        ],
      };
    });
}

const NOT_JSON_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fhpa',
  'application/xml',
  'text/json',
  'application/jsonl',
  'application/yaml',
  'application/octet-stream',
  '*/*',
  'application',
  'json',
  ';',
  'application/json+',
  'text/html; charset=application/json',
];

function contentType(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc.tuple(jsonRoute, fc.constantFrom(...NOT_JSON_TYPES)).map(([route, type]) => {
    const req = request(specs[route], t, utf8(JSON.stringify(validBody(route, t, false))));
    return {
      route,
      kind: 'content-type' as const,
      request: {
        ...req,
        headers: [...req.headers.filter(([h]) => h !== 'Content-Type'), ['Content-Type', type]],
      },
      expect: [415],
      names: ['content type'],
    };
  });
}

/** Authorization values that are wrong, many of them by one character. */
function badAuthorization(t: FuzzTarget): fc.Arbitrary<string | undefined> {
  const token = t.token;
  return fc.oneof(
    fc.constantFrom<string | undefined>(
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Bearer ${token.toUpperCase()}`,
      `Bearer\t${token}`,
      `Bearer:${token}`,
      `Token ${token}`,
      `Basic ${token}`,
      token,
      `Bearer "${token}"`,
      `Bearer ${token},${token}`,
      'Basic !!!not-base64!!!',
      `Basic ${btoa('fhpa')}`,
      `Basic ${btoa(`fhpa:${token}`)}`,
      `Negotiate ${token}`,
      `Bearer ${'a'.repeat(8_000)}`,
      `Bearer ${token}\xff`,
      'Bearer \xc3\x28\xa0\xa1',
    ),
    // one character of the right token changed
    fc
      .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom('0', 'a', 'Z', '-', '\xe9'))
      .map(([i, ch]) => {
        const flipped = token[i] === ch ? (ch === '0' ? '1' : '0') : ch;
        return `Bearer ${token.slice(0, i)}${flipped}${token.slice(i + 1)}`;
      }),
    fc
      .string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 80,
      })
      .filter((s) => !s.trim().endsWith(token)),
  );
}

function auth(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.constantFrom(...PROTECTED), badAuthorization(t)).map(([route, value]) => {
    const spec = specs[route];
    const req = request(
      spec,
      t,
      spec.body ? utf8(JSON.stringify(validBody(route, t, false))) : new Uint8Array(),
    );
    const others = req.headers.filter(([h]) => h !== 'Authorization');
    return {
      route,
      kind: 'auth' as const,
      request: { ...req, headers: value === undefined ? others : [['Authorization', value], ...others] },
      expect: [401],
      names: ['Authorization'],
    };
  });
}

/** Byte sequences no UTF-8 decoder accepts: stray bytes, overlong forms, encoded surrogates, cut sequences. */
const NOT_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc3, 0x28],
  [0xf0, 0x9f, 0x98],
];

function nonUtf8(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  const inBody = fc
    .tuple(jsonRoute, fc.constantFrom(...NOT_UTF8), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([route, bad, at]): FuzzCase => {
      const text = utf8(JSON.stringify(validBody(route, t, false)));
      const i = Math.floor(at * text.length);
      const body = Buffer.concat([text.subarray(0, i), Buffer.from(bad), text.subarray(i)]);
      return {
        route,
        kind: 'non-utf8',
        request: request(specs[route], t, body),
        expect: [400],
        names: ['UTF-8'],
      };
    });
  // Header values may carry obs-text (bytes 0x80-0xff, RFC 9110 5.5): Node passes them on as latin1.
  const inHeader = fc
    .tuple(
      anyRoute,
      fc.constantFrom('X-Fhpa-Fuzz', 'User-Agent', 'Accept', 'Content-Type', 'Authorization'),
      fc.uint8Array({ minLength: 1, maxLength: 40 }),
    )
    .map(([route, name, bytes]): FuzzCase => {
      const spec = specs[route];
      const value = Buffer.from(bytes.map((b) => 0x80 | b)).toString('latin1');
      const req = request(
        spec,
        t,
        spec.body ? utf8(JSON.stringify(validBody(route, t, false))) : new Uint8Array(),
      );
      return {
        route,
        kind: 'non-utf8',
        request: { ...req, headers: [...req.headers.filter(([h]) => h !== name), [name, value]] },
        expect:
          name === 'Authorization' && spec.auth
            ? [401]
            : name === 'Content-Type' && spec.body
              ? [415]
              : spec.ok,
      };
    });
  return fc.oneof(inBody, inHeader);
}

// Node's default --max-http-header-size is 16 KiB: sizes either side of it.
function hugeHeader(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(
      anyRoute,
      fc.integer({ min: 4 * 1024, max: 48 * 1024 }),
      fc.constantFrom('one', 'many', 'authorization'),
    )
    .map(([route, size, shape]) => {
      const spec = specs[route];
      const req = request(
        spec,
        t,
        spec.body ? utf8(JSON.stringify(validBody(route, t, false))) : new Uint8Array(),
      );
      let extra: Array<[string, string]>;
      let base = req.headers;
      if (shape === 'one') extra = [['X-Fhpa-Fuzz', 'h'.repeat(size)]];
      else if (shape === 'many')
        extra = Array.from({ length: Math.ceil(size / 24) }, (_, i): [string, string] => [
          `X-F${i}`,
          'v'.repeat(16),
        ]);
      else {
        base = base.filter(([h]) => h !== 'Authorization');
        extra = [['Authorization', `Bearer ${t.token}${'t'.repeat(size)}`]];
      }
      return {
        route,
        kind: 'huge-header' as const,
        request: { ...req, headers: [...base, ...extra] },
        expect: [...(shape === 'authorization' && spec.auth ? [401] : spec.ok), 431],
      };
    });
}

const BAD_NAMES = [
  'Default',
  '-x',
  'x-',
  'a_b',
  'a'.repeat(64),
  'a'.repeat(300),
  '%ff',
  '%00',
  '%C3%A9',
  'a%2Fb',
  'a.b',
  '%20',
  '*',
  'a;b',
  "'",
  '%25',
];

/** /evaluate with namespaces and names that are not Kubernetes names, and path shapes the route does not have. */
function badPath(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  const spec = specs.evaluate;
  const validName = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
  const seg = fc.oneof(fc.constantFrom(...BAD_NAMES), validName);
  const shape = fc.oneof(
    fc.tuple(seg, seg).map(([ns, n]) => ({
      path: `/evaluate/${ns}/${n}`,
      expect: [200, 400, 404, 409],
      // 400 names the segment; 404 is the evaluation's not-found result, naming the FederatedHPA
      names: ['namespace:', 'name:', `${ns}/${n}`],
    })),
    fc
      .constantFrom(
        '/evaluate',
        '/evaluate/',
        '/evaluate/default',
        '/evaluate/default/',
        '/evaluate//sample-app',
        '/evaluate/default/sample-app/extra',
        '/evaluate/default/sample-app?x=1',
        '/evaluate/%2e%2e/%2e%2e',
      )
      // no such route: the answer must say which path it did not know
      .map((path) => ({ path, expect: [200, 400, 404, 409], names: ['no route for'] })),
  );
  return shape.map(({ path, expect, names }) => ({
    route: 'evaluate' as const,
    kind: 'bad-path' as const,
    request: { ...request(spec, t, new Uint8Array()), target: path },
    expect,
    names,
  }));
}

/** Cut requests, lying lengths, broken chunks: the HTTP layer's share of bad input. */
function framing(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  return (
    fc
      .tuple(
        anyRoute,
        fc.constantFrom(
          'cut',
          'short-body',
          'long-body',
          'bad-chunk',
          'tiny-chunks',
          'both-lengths',
          'bad-length',
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 7 }),
      )
      .map(([route, how, at, small]): FuzzCase => {
        const spec = specs[route];
        const text = utf8(JSON.stringify(spec.body ? validBody(route, t, false) : { fuzz: true }));
        const req = request(spec, t, text);
        const base = { route, kind: 'framing' as const };
        switch (how) {
          case 'cut': {
            // our side closes after the cut, so the server sees the end of the stream, never a silent client
            return {
              ...base,
              request: { ...req, cutAt: Math.floor(at * 400) },
              expect: [400, 413],
              mayClose: true,
            };
          }
          case 'short-body':
            return {
              ...base,
              request: { ...req, framing: { kind: 'declared', declared: text.byteLength + 1 + small } },
              expect: [400],
              mayClose: true,
            };
          case 'long-body':
            // the rest of the body reads as a second request on a connection that closes after the first
            return {
              ...base,
              request: { ...req, framing: { kind: 'declared', declared: Math.floor(at * text.byteLength) } },
              expect: [...spec.ok, 400, 415],
            };
          case 'bad-chunk':
            return {
              ...base,
              request: { ...req, framing: { kind: 'chunked', size: 64, badSize: true } },
              expect: [400],
              mayClose: true,
            };
          case 'tiny-chunks':
            return {
              ...base,
              request: { ...req, framing: { kind: 'chunked', size: small } },
              expect: spec.ok,
            };
          case 'both-lengths':
            return {
              ...base,
              request: { ...req, headers: [...req.headers, ['Transfer-Encoding', 'chunked']] },
              expect: [400],
              mayClose: true,
            };
          default:
            return {
              ...base,
              request: {
                ...req,
                body: new Uint8Array(),
                headers: [
                  ...req.headers,
                  [
                    'Content-Length',
                    ['abc', '-1', '1e3', '0x10', '', '99999999999999999999'][small - 1] ?? '1, 2',
                  ],
                ],
              },
              expect: [400, 413],
              mayClose: true,
            };
        }
      })
      // A route that reads no body answers before it reaches the broken part.
      .map((c) =>
        specs[c.route as Known].body ? c : { ...c, expect: [...c.expect, ...specs[c.route as Known].ok] },
      )
  );
}

/** The right route, method and credentials with junk around them: query strings, odd headers, unread bodies. */
function noise(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom('?', '?a=%zz', '?a=1&a=2', '?%00', `?${'q'.repeat(2000)}`, '?dryRun=true', '#frag'),
    fc.stringMatching(/^\?[A-Za-z0-9=&%._~-]{0,60}$/),
  );
  const header = fc.constantFrom<[string, string]>(
    ['Accept', 'application/xml'],
    ['Accept-Encoding', 'gzip, br, zstd'],
    ['Content-Encoding', 'gzip'],
    ['Expect', '100-continue'],
    ['Expect', 'teapot'],
    ['X-Forwarded-For', '::1, 10.0.0.1, not-an-ip'],
    ['Connection', 'keep-alive, Upgrade'],
    ['Upgrade', 'websocket'],
    ['Cookie', 'a=b; '.repeat(200)],
    ['Range', 'bytes=0-1'],
    ['Transfer-Encoding', 'identity'],
  );
  return fc
    .tuple(
      anyRoute,
      query,
      fc.array(header, { maxLength: 3 }),
      fc.option(fc.uint8Array({ maxLength: 512 }), { nil: undefined }),
    )
    .map(([route, q, extra, junk]) => {
      const spec = specs[route];
      // JSON routes keep their valid body (the junk is around it); the others get bytes they never read
      const body = spec.body ? utf8(JSON.stringify(validBody(route, t, false))) : (junk ?? new Uint8Array());
      const req = request(spec, t, body, extra);
      const badExpect = extra.some(([h, v]) => h === 'Expect' && v !== '100-continue');
      const maybeEncoded = extra.some(([h]) => h === 'Content-Encoding' || h === 'Transfer-Encoding');
      return {
        route,
        kind: 'noise' as const,
        request: { ...req, target: `${spec.path}${q}` },
        // 417: Node answers an Expect it does not know itself; an encoding the app does not undo may be refused
        // 400: /evaluate takes only dryRun=All (Kubernetes' spelling) and names the parameter otherwise
        expect: [
          ...spec.ok,
          ...(badExpect ? [417] : []),
          ...(maybeEncoded || (route === 'evaluate' && q === '?dryRun=true') ? [400, 415] : []),
        ],
      };
    });
}

function unknownPath(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const segment = fc.oneof(
    fc.constantFrom(
      'api',
      'v1',
      'admin',
      '.env',
      '.git',
      'wp-login.php',
      'healthz',
      'alerts',
      'evaluate',
      'sweep',
      'metrics',
      'validate',
      'HEALTHZ',
      '%2e%2e',
      '%00',
      '%ff',
      '',
    ),
    fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{1,24}$/),
  );
  const path = fc.oneof(
    { weight: 8, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/',
        '//',
        '/healthz/',
        '/validate/',
        '/alerts/',
        '/sweep/x',
        // raw bytes over 0x7f in the request line: Node's parser refuses them (400) before the app
        '/heal\xffthz',
        '/caf\xe9',
        '*',
        `/${'p'.repeat(8_000)}`,
        `/${'p/'.repeat(9_000)}`,
      ),
    },
  );
  const known = new Set([
    '/healthz',
    '/readyz',
    '/validate-federatedhpa',
    '/validate-cronfederatedhpa',
    '/validate',
    '/alerts',
    '/sweep',
    '/metrics',
  ]);
  return fc
    .tuple(path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'), fc.boolean())
    .filter(([p]) => !known.has(p) && !/^\/evaluate\/[^/]+\/[^/]+$/.test(p))
    .map(([target, method, withAuth]) => ({
      route: 'unknown' as const,
      kind: 'bad-path' as const,
      request: {
        method,
        target,
        headers: withAuth ? [goodAuth(t)] : [],
        body: new Uint8Array(),
        framing: { kind: 'length' as const },
      },
      // 401: under a protected prefix (/alerts/x); 400/431: a request line Node itself refuses or finds too
      // long; 200: %2e%2e is `..` to the URL parser, so /%2e%2e/healthz is /healthz
      expect: [404, 405, 401, 400, 414, 431, ...(/%2e/i.test(target) ? [200] : [])],
    }));
}

/**
 * Issue 18: text a linear parser must not choke on, in the fields fhpa parses (a run of blanks in a schedule,
 * long names, label values, selectors, quantities, time zones), up to near the body limit; and alert labels
 * that are not Kubernetes names (`..`, oversized) or name hundreds of namespaces. The admission routes deny
 * with the field named; /alerts answers 200 with the alerts `ignored` or `not-found`, calling Karmada at most
 * the bounded number of times.
 */
function hostileText(t: FuzzTarget, specs: Record<Known, RouteSpec>): fc.Arbitrary<FuzzCase> {
  const patterns: Array<(n: number) => string> = [
    (n) => `0${' '.repeat(n)}x`,
    (n) => `${' \t'.repeat(n / 2)}0 0 * * *`,
    (n) => `${'a'.repeat(n)}!`,
    (n) => `${'a.'.repeat(n / 2)}-`,
    (n) => `${'a-'.repeat(n / 2)}-`,
    (n) => `${'1'.repeat(n)}x`,
  ];
  // Where the text goes: a path below the reviewed object, and the value placed there.
  const fields: Array<{ cron: boolean; name: string; at: (v: string) => [Segment[], Json] }> = [
    { cron: true, name: 'schedule', at: (v) => [['spec', 'rules', 0, 'schedule'], v] },
    { cron: true, name: 'timeZone', at: (v) => [['spec', 'rules', 0, 'timeZone'], v] },
    { cron: false, name: 'metadata.name', at: (v) => [['metadata', 'name'], v] },
    { cron: false, name: 'metadata.labels', at: (v) => [['metadata', 'labels'], { app: v }] },
    { cron: false, name: 'metadata.labels', at: (v) => [['metadata', 'labels'], { [v]: 'x' }] },
    { cron: false, name: 'spec.scaleTargetRef.name', at: (v) => [['spec', 'scaleTargetRef', 'name'], v] },
    {
      cron: false,
      name: 'spec.metrics',
      // The text three times: a third of it each, so the body stays under the limit.
      at: (text) => {
        const v = text.slice(0, Math.ceil(text.length / 3));
        return [
          ['spec', 'metrics'],
          [
            {
              type: 'Pods',
              pods: {
                metric: {
                  name: 'rps',
                  selector: { matchExpressions: [{ key: v, operator: 'In', values: [v] }] },
                },
                target: { type: 'AverageValue', averageValue: v },
              },
            },
          ],
        ];
      },
    },
  ];
  const admission = fc
    .tuple(
      fc.nat({ max: fields.length - 1 }),
      fc.nat({ max: patterns.length - 1 }),
      fc.oneof(
        fc.integer({ min: 1000, max: 1100 }),
        // a tab is two bytes of JSON: half the limit keeps every pattern under it
        fc.integer({ min: 1100, max: Math.floor((t.admissionMaxBytes - 8192) / 2) }),
      ),
    )
    .map(([f, p, size]): FuzzCase => {
      const field = fields[f]!;
      const route: Known = field.cron ? 'validate-cronfederatedhpa' : 'validate-federatedhpa';
      const [path, value] = field.at(patterns[p]!(Math.floor(size / 2) * 2));
      const review = setAt(validBody(route, t, field.cron), ['request', 'object', ...path], value);
      return {
        route,
        kind: 'hostile-text',
        request: request(specs[route], t, utf8(JSON.stringify(review))),
        expect: [200],
        names: [field.name],
      };
    });
  const badLabels = fc.constantFrom<Array<Record<string, string>>>(
    [{ federatedhpa: t.workload.name, namespace: '..' }],
    [{ deployment: t.workload.name, namespace: '..' }],
    [{ federatedhpa: 'a'.repeat(20_000), namespace: t.workload.namespace }],
    [{ workload: t.workload.name, workload_kind: '../pods', namespace: t.workload.namespace }],
    Array.from({ length: 300 }, (_, i) => ({ deployment: 'web', namespace: `fuzz-${i}` })),
    Array.from({ length: 100 }, () => ({
      deployment: `${'a-'.repeat(150)}a`,
      namespace: t.workload.namespace,
    })),
  );
  const alerts = badLabels.map((labels): FuzzCase => {
    const body = alertNotification([]) as { alerts: unknown[] };
    body.alerts = labels.map((l, i) => ({
      status: 'firing',
      labels: { alertname: 'Fuzz', ...l },
      fingerprint: `h${i}`,
    }));
    return {
      route: 'alerts',
      kind: 'hostile-text',
      request: request(specs.alerts, t, utf8(JSON.stringify(body))),
      expect: [200],
    };
  });
  return fc.oneof({ weight: 3, arbitrary: admission }, { weight: 1, arbitrary: alerts });
}

/**
 * One generated bad request. The kinds are weighted so each route gets a share of the cases: the JSON
 * routes carry most kinds, the others get methods, paths, headers, credentials and framing.
 */
export function fuzzCase(t: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const specs = routeSpecs(t);
  return fc.oneof(
    { weight: 8, arbitrary: malformedJson(t, specs) },
    { weight: 6, arbitrary: truncatedJson(t, specs) },
    { weight: 16, arbitrary: wrongType(t, specs) },
    { weight: 2, arbitrary: hugeBody(t, specs) },
    { weight: 3, arbitrary: deepNesting(t, specs) },
    { weight: 10, arbitrary: wrongMethod(t, specs) },
    { weight: 4, arbitrary: contentType(t, specs) },
    { weight: 8, arbitrary: auth(t, specs) },
    { weight: 6, arbitrary: nonUtf8(t, specs) },
    { weight: 4, arbitrary: hugeHeader(t, specs) },
    { weight: 5, arbitrary: badPath(t, specs) },
    { weight: 8, arbitrary: framing(t, specs) },
    { weight: 12, arbitrary: noise(t, specs) },
    { weight: 6, arbitrary: unknownPath(t) },
    { weight: 6, arbitrary: hostileText(t, specs) },
  );
}

/** `count` cases, the same ones for the same seed. */
export function fuzzCases(t: FuzzTarget, count: number, seed: number): FuzzCase[] {
  return count <= 0 ? [] : fc.sample(fuzzCase(t), { numRuns: count, seed });
}
