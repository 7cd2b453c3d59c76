import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** promtool's complaints about an exposition ('' when none); it exits non-zero on any. */
export function promtoolCheckMetrics(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fhpa-promtool-'));
  try {
    const file = join(dir, 'metrics.txt');
    writeFileSync(file, text);
    try {
      execFileSync('sh', ['-c', `promtool check metrics < "${file}"`], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
