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
    expect(err.join('')).toContain('unknown command "frobnicate"');
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
