import { EmbeddedLeaseStore } from '../../src/store/embedded-leases.ts';
import { leaseStoreContract } from './lease-contract.ts';

// The lease contract on the embedded store: the same records and version test as DynamoDB, in a Map.
leaseStoreContract(async () => {
  const store = new EmbeddedLeaseStore();
  return {
    store,
    scope: 'test',
    plant: async (key, fields) => {
      store.records.set(key, fields);
    },
  };
});
