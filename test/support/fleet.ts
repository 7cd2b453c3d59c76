import type { Simulator } from '../../src/sim/index.ts';
import { applyApp } from './seed.ts';

/**
 * `count` copies of the seed walkthrough (app-0 … app-N-1 in `default`, divided over member1 and member2),
 * each with the seed's FederatedHPA (custom metric, 700m per pod) and no scale-up window, under `rps` of
 * load: 2.8 req/s makes each want exactly 4 replicas from 1, within the default scale-up policy, so a
 * correct fleet scales each one once, 1 → 4, and then keeps it there.
 */
export function addScalingApps(sim: Simulator, count: number, rps = 2.8): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `app-${i}`;
    applyApp(
      sim,
      name,
      {
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 0 },
          scaleDown: { stabilizationWindowSeconds: 10 },
        },
      },
      { labels: { app: name } },
    );
    sim.setLoad('default', name, { rps });
    names.push(name);
  }
  return names;
}
