import type { Env } from '../config.ts';
import { ConfigError } from '../config.ts';
import type { Connection } from '../karmada/connection.ts';
import { connectionFromEnv } from './deps.ts';

// Node and Lambda can also use a kubeconfig (FHPA_KUBECONFIG, context FHPA_KUBE_CONTEXT) or the in-cluster
// service account; the loader pulls in @kubernetes/client-node, so it is imported only when asked for.
export async function nodeConnection(env: Env): Promise<Connection> {
  const direct = connectionFromEnv(env);
  if (direct) return direct;
  if (env.FHPA_KUBECONFIG || env.FHPA_IN_CLUSTER) {
    const { connectionFromKubeconfig, connectionFromCluster } = await import('../karmada/kubeconfig.ts');
    return env.FHPA_IN_CLUSTER
      ? connectionFromCluster()
      : connectionFromKubeconfig(env.FHPA_KUBECONFIG!, env.FHPA_KUBE_CONTEXT);
  }
  throw new ConfigError([
    'FHPA_KARMADA_SERVER (with FHPA_KARMADA_TOKEN), FHPA_KUBECONFIG or FHPA_IN_CLUSTER: one is required to reach Karmada',
  ]);
}
