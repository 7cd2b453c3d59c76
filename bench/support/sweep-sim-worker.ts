import { parentPort, workerData } from 'node:worker_threads';
import {
  type FromWorker,
  type SweepSimOptions,
  startSweepSim,
  sweepSimInfo,
  type ToWorker,
} from './sweep-sim.ts';

// The sweep benchmark's simulator thread (started by workerSweepSim in sweep-sim.ts): sets up the fleet,
// reports the server's address, then answers mark/report/close until it is closed.

const port = parentPort;
if (!port) throw new Error('sweep-sim-worker.ts runs as a worker thread');
const send = (m: FromWorker) => port.postMessage(m);

try {
  const started = await startSweepSim(workerData as SweepSimOptions);
  const { control, close } = started;
  port.on('message', async (m: ToWorker) => {
    if (m.type === 'mark') {
      control.mark();
      send({ type: 'marked' });
    } else if (m.type === 'report') send({ type: 'report', ...control.report() });
    else if (m.type === 'close') {
      await close();
      send({ type: 'closed' });
      port.close();
    }
  });
  send({ type: 'ready', ...sweepSimInfo(started) });
} catch (err) {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
