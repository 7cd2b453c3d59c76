import { describe, expect, it } from 'vitest';
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
