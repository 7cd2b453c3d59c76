import type { Backoff } from './backoff.ts';
import type { DynamoConfig, DynamoConnector } from './config.ts';

// Either transport by name, for Node-side callers that may use both (`fhpa store`, tests, benchmarks). The
// runtimes import their one connector directly so the Worker bundle never sees the SDK.

export type Transport = 'sdk' | 'fetch';

export const connectorFor =
  (transport: Transport): DynamoConnector =>
  async (config, backoff) =>
    transport === 'fetch'
      ? (await import('./connect-fetch.ts')).fetchConnector(config, backoff)
      : (await import('./connect-sdk.ts')).sdkConnector(config, backoff);

/** The DynamoDB port for the configured endpoint; also what `fhpa store init` talks to. */
export const dynamoApi = (config: DynamoConfig, transport: Transport, backoff?: Backoff) =>
  connectorFor(transport)(config, backoff);
