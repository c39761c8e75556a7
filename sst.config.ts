/// <reference path="./.sst/platform/config.d.ts" />
// The SST app. No logic here: the policy is read and validated by infra/policy-file.ts (a
// bad policy stops the deploy before any change), the resources are built in infra/components.
export default $config({
  app() {
    return {
      name: 'ecs-rebalancer',
      home: 'aws',
      // Nothing here holds data worth keeping: `sst remove` deletes every resource.
      removal: 'remove',
    };
  },
  async run() {
    const { DEFAULT_POLICY_FILE, loadPolicyFile } = await import('./infra/policy-file.js');
    const { createRebalancer } = await import('./infra/components/rebalancer.js');
    const policyFile = process.env.REBALANCER_POLICY_FILE ?? DEFAULT_POLICY_FILE;
    return createRebalancer({ policy: loadPolicyFile(policyFile, $cli.paths.root), policyFile });
  },
});
