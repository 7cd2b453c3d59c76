// The built CLI's entry (`npm run build` bundles it as dist/fhpa.mjs): `node dist/fhpa.mjs serve` is the
// production server, with no TypeScript tooling at run time.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
