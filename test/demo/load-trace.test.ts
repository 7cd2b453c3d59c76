// `--trace` CSV parsing (src/demo/load-trace.ts): a header is taken only when it names the columns; any other
// bad first line is an error naming line 1, never silently skipped (issue 19.7).
import { describe, expect, it } from 'vitest';
import { parseTraceCsv } from '../../src/demo/load-trace.ts';

const rates = (text: string) => {
  const t = parseTraceCsv(text, 'load.csv');
  return typeof t === 'string' ? t : [0, 10, 20].map((s) => t.rpsAt(s));
};

describe('parseTraceCsv', () => {
  it.each([
    ['seconds,rps\n0,1\n10,3\n20,0\n'],
    ['t, rps\n0,1\n10,3\n20,0\n'],
    ['Time,Load\n0,1\n10,3\n20,0\n'],
    ['# a comment\n\nseconds,rps\n0,1\n10,3\n20,0\n'],
    ['0,1\n10,3\n20,0\n'],
  ])('reads %j', (text) => {
    expect(rates(text)).toEqual([1, 3, 0]);
  });

  it.each([
    [
      '0s,1\n10,3\n',
      'load.csv:1: "0s,1" is not "seconds,rps" (two non-negative numbers) nor a header (seconds,rps)',
    ],
    [
      '0;1\n10,3\n',
      'load.csv:1: "0;1" is not "seconds,rps" (two non-negative numbers) nor a header (seconds,rps)',
    ],
    [
      'rps,seconds\n1,0\n',
      'load.csv:1: "rps,seconds" is not "seconds,rps" (two non-negative numbers) nor a header (seconds,rps)',
    ],
    [
      '# note\n-1,1\n',
      'load.csv:2: "-1,1" is not "seconds,rps" (two non-negative numbers) nor a header (seconds,rps)',
    ],
    [
      'seconds,rps\nseconds,rps\n',
      'load.csv:2: "seconds,rps" is not "seconds,rps" (two non-negative numbers)',
    ],
    ['0,1\n10,x\n', 'load.csv:2: "10,x" is not "seconds,rps" (two non-negative numbers)'],
    ['10,1\n5,2\n', "load.csv:2: time 5 comes before the previous line's 10"],
    ['seconds,rps\n', 'load.csv: no "seconds,rps" lines'],
  ])('refuses %j', (text, message) => {
    expect(rates(text)).toBe(message);
  });
});
