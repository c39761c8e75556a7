// The full check, with the network: `sst install` in the repository (it downloads
// @pulumi/aws and the other providers into .sst/platform), then the same program as the
// offline test, against the real Pulumi packages instead of ./pulumi-shims.d.ts.
// Run: npm run typecheck:sst -w infra
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typecheckSstApp } from './sst-env.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const install = spawnSync('npx', ['sst', 'install'], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, SST_STAGE: process.env.SST_STAGE ?? 'typecheck', SST_SKIP_DEPENDENCY_CHECK: 'true', SST_TELEMETRY_DISABLED: '1', SST_NO_BUN: 'true' },
});
if (install.status !== 0) process.exit(install.status ?? 1);
const diagnostics = typecheckSstApp({ repoRoot, platformDir: join(repoRoot, '.sst', 'platform'), shims: false });
for (const d of diagnostics) console.error(d);
console.log(`${diagnostics.length} type errors in sst.config.ts and infra/components`);
process.exit(diagnostics.length === 0 ? 0 : 1);
