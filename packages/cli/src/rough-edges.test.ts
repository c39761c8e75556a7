// The CLI's rough edges of issue 12, each through the real `rebalancer` process.
import { spawn, spawnSync } from 'node:child_process';
import { truncateSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, runBinAsync } from './test-support/cli-process.js';
import { tempFiles } from './test-support/temp-files.js';

const file = tempFiles('rough-edges-');

describe('JSON input files', () => {
  it('names the line and column of a syntax error on one line, whatever the Node version prints', async () => {
    const policy = file('policy.json', '{\n  "clusters": {\n    "prod" {}\n  }\n}\n');
    const result = await runBinAsync(['validate', '--policy', policy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rebalancer: ${policy}: invalid JSON at line 3, column 12: unexpected "{" (expected ':' after a property name)\n`);
  });

  it('names the end of the file for a truncated file, and the line of a trailing comma', async () => {
    const truncated = file('truncated.json', '{"clusters": {"prod": {}}');
    expect((await runBinAsync(['validate', '--policy', truncated])).stderr).toBe(`rebalancer: ${truncated}: invalid JSON at line 1, column 26: unexpected end of input (expected ',' or '}')\n`);
    const comma = file('comma.json', '{\n  "clusters": {"prod": {},}\n}');
    expect((await runBinAsync(['validate', '--policy', comma])).stderr).toBe(`rebalancer: ${comma}: invalid JSON at line 2, column 27: trailing comma before }\n`);
  });

  it('accepts a UTF-8 byte order mark, and counts columns from after it', async () => {
    const ok = file('bom.json', '\uFEFF{"clusters": {"prod": {}}}');
    const valid = await runBinAsync(['validate', '--policy', ok]);
    expect(valid.stderr).toBe('');
    expect(valid.status).toBe(0);
    const bad = file('bom-bad.json', '\uFEFF{\n  x: 1}');
    expect((await runBinAsync(['validate', '--policy', bad])).stderr).toBe(`rebalancer: ${bad}: invalid JSON at line 2, column 3: unexpected "x" (expected a property name in double quotes)\n`);
  });

  it('refuses a huge file with a clear line instead of "Invalid string length"', async () => {
    const huge = file('huge.json', '');
    truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk is used
    const result = await runBinAsync(['validate', '--policy', huge]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`rebalancer: ${huge}: the file is 600 MiB, more than the 64 MiB an input file may have\n`);
  });
});

describe('output into a closed pipe', () => {
  it('ends quietly when the reader goes away before the output is written (validate … | head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'validate', '--policy', 'examples/policy.json'], { cwd: REPO });
    child.stdout.destroy(); // the reader is gone before a byte is written
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints the first line through head -1 with nothing on stderr', async () => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" validate --policy examples/policy.json | head -1`], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(result.stdout).toBe('examples/policy.json: valid policy for 1 cluster(s): prod\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('plan', () => {
  it('documents in --help the policy it uses without --policy', async () => {
    const result = await runBinAsync(['plan', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('without it every cluster given is managed with the defaults');
    expect(result.stdout).toContain('maxDrainingFraction 0.3');
  });

  it('takes a snapshot array as --cluster and names the index of a problem in it', async () => {
    const cluster = JSON.parse(spawnSync('cat', ['examples/cluster.json'], { cwd: REPO, encoding: 'utf8' }).stdout) as Record<string, unknown>;
    const two = file('two.json', JSON.stringify([cluster, { ...cluster, cluster: 'staging' }]));
    const ok = await runBinAsync(['plan', '--event', 'fixtures/events/ec2-spot-instance-interruption-warning.json', '--cluster', two]);
    expect(ok.status).toBe(0);
    const bad = file('bad.json', JSON.stringify([cluster, { ...cluster, cluster: 'staging', services: [{ name: 'x' }] }]));
    const result = await runBinAsync(['plan', '--event', 'fixtures/events/ec2-spot-instance-interruption-warning.json', '--cluster', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^rebalancer: ${bad}: \\[1\\]\\.services\\[0\\]\\.desiredCount: required`));
  });
});

describe('npm run typecheck', () => {
  it('has a root tsconfig.json that covers every package', async () => {
    const result = spawnSync(process.execPath, [`${REPO}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json', '--noEmit', '--listFilesOnly'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    for (const dir of ['packages/core/src/', 'packages/functions/src/', 'packages/sim/src/', 'packages/cli/src/', 'infra/', 'test/', 'bench/']) {
      expect(result.stdout).toContain(`${REPO}${dir}`);
    }
  });
});
