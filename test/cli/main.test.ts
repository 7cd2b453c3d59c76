import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { main } from '../../src/cli/main.ts';
import { memoryIO } from '../support/memory-io.ts';

describe('fhpa main', () => {
  it('prints usage with --help and exits 0', async () => {
    const { io, out } = memoryIO();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: fhpa <command>');
  });

  it('rejects an unknown command with exit 2', async () => {
    const { io, err } = memoryIO();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(err).toEqual(['fhpa: unknown command "frobnicate" (see fhpa --help)']);
  });
});

// Issue 19.7: an argument error is one line naming the argument and pointing at --help, exit 2; the whole
// usage went with it before, burying the one line that mattered.
describe('argument errors: one line, the argument named, a hint to --help', () => {
  it.each([
    [['demo', '--bogus'], "fhpa demo: Unknown option '--bogus' (see fhpa demo --help)"],
    [['demo', '--seconds'], "fhpa demo: Option '--seconds <value>' argument missing (see fhpa demo --help)"],
    [
      ['recommend', 'a.json', 'b.json'],
      'fhpa recommend: expected at most one FILE (see fhpa recommend --help)',
    ],
    [['recommend', '--verbose'], 'fhpa recommend: unknown option --verbose (see fhpa recommend --help)'],
    [['plan', '--watch'], 'fhpa plan: unknown argument --watch (see fhpa plan --help)'],
    [
      ['validate'],
      'fhpa validate: expected at least one FILE (or - for standard input) (see fhpa validate --help)',
    ],
    [
      ['simulate', '--shape', 'square'],
      'fhpa simulate: --shape: one of step, ramp, spike, sine (see fhpa simulate --help)',
    ],
    [['simulate', '--frobnicate'], "fhpa simulate: Unknown option '--frobnicate' (see fhpa simulate --help)"],
    [['serve', '--port', 'x'], 'fhpa serve: --port: an integer from 0 to 65535 (see fhpa serve --help)'],
    [['serve', '--tls'], "fhpa serve: Unknown option '--tls' (see fhpa serve --help)"],
    [
      ['sim', '--port', '99999'],
      'fhpa sim: --port: an integer from 0 to 65535, not "99999" (see fhpa sim --help)',
    ],
    [
      ['sim', 'load'],
      'fhpa sim load: --rps: a number of requests per second, 0 or more (see fhpa sim load --help)',
    ],
    [
      ['snapshot', 'Default/x'],
      'fhpa snapshot: expected one NAMESPACE/NAME, e.g. default/sample-app (see fhpa snapshot --help)',
    ],
    [
      ['explain', 'a/b', '-o', 'yaml'],
      'fhpa explain: -o: the only output format is json (see fhpa explain --help)',
    ],
    [
      ['store'],
      'fhpa store: expected a subcommand: init, or get SCOPE/NAMESPACE/NAME (see fhpa store --help)',
    ],
    [['store', 'get'], 'fhpa store: unknown subcommand or arguments: get (see fhpa store --help)'],
  ])('%j', async (argv, line) => {
    const { io, out, err } = memoryIO();
    expect(await main(argv, io)).toBe(2);
    expect({ out, err }).toEqual({ out: [], err: [line] });
  });
});

// Issue 19.7.
describe('fhpa --version', () => {
  it.each(['--version', '-v', 'version'])('%s prints the package version and exits 0', async (flag) => {
    const { io, out } = memoryIO();
    expect(await main([flag], io)).toBe(0);
    expect(out).toEqual([`fhpa ${pkg.version}`]);
  });
});
