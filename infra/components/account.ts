// The account, region and partition the stage deploys to, as one Output.
import type { AccountScope } from '../arns.js';

export function accountScope(): $util.Output<AccountScope> {
  return $util
    .all([
      aws.getPartitionOutput().partition,
      aws.getRegionOutput().region,
      aws.getCallerIdentityOutput().accountId,
    ])
    .apply(([partition, region, account]) => ({ partition, region, account }));
}
