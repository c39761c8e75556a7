// The instance index's table (infra/settings.ts INSTANCE_INDEX_TABLE): on demand (SST's Dynamo
// bills PAY_PER_REQUEST), partition key `cluster`, TTL on `expiresAt`. It is a cache the tick
// rebuilds on every run, so point-in-time recovery (on by default in SST) would keep backups
// of nothing worth restoring: it is turned off.
import { INSTANCE_INDEX_TABLE } from '../settings.js';

export function createInstanceIndexTable() {
  return new sst.aws.Dynamo('InstanceIndex', {
    fields: { [INSTANCE_INDEX_TABLE.hashKey.name]: 'string' },
    primaryIndex: { hashKey: INSTANCE_INDEX_TABLE.hashKey.name },
    ttl: INSTANCE_INDEX_TABLE.ttlAttribute,
    transform: {
      table: (args) => {
        args.pointInTimeRecovery = { enabled: false };
      },
    },
  });
}
