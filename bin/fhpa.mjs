#!/usr/bin/env node
// `npx fhpa` in a checkout: with the dev dependencies installed (`npm install`) this runs the TypeScript CLI
// through tsx, so no build step is needed. Where only production dependencies are installed
// (`npm ci --omit=dev`), tsx is absent and the built CLI, dist/fhpa.mjs from `npm run build`, runs instead.
// Either way this is one node process: long-running commands should be started as `node bin/fhpa.mjs ...`
// (or `node dist/fhpa.mjs ...`), never through npx or npm, whose shell would not pass SIGTERM on.
import { existsSync } from 'node:fs';

let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
if (tsx) {
  tsx.register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else if (existsSync(new URL('../dist/fhpa.mjs', import.meta.url))) {
  await import('../dist/fhpa.mjs');
} else {
  console.error('fhpa: neither tsx (npm install) nor dist/fhpa.mjs (npm run build) is there to run');
  process.exitCode = 1;
}
