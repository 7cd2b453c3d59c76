// Cloudflare Worker entry (wrangler.toml: main). All wiring is in src/runtime/worker.ts.
import { createWorker } from '../src/runtime/worker.ts';

export default createWorker();
