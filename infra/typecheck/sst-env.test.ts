import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeUnpackedPlatform, typecheckInfraModules, typecheckSstApp, unpackSstPlatform } from './sst-env.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
let platformDir = '';

beforeAll(() => {
  platformDir = unpackSstPlatform(repoRoot);
}, 60_000);

afterAll(() => removeUnpackedPlatform(platformDir));

describe('sst.config.ts and infra/components', () => {
  it('type-check against the SST platform, offline', () => {
    expect(typecheckSstApp({ repoRoot, platformDir })).toEqual([]);
  }, 60_000);

  it('infra/tsconfig.json (the plain modules and the tests) type-checks', () => {
    expect(typecheckInfraModules(repoRoot)).toEqual([]);
  }, 60_000);

  // Probes: the same check over a file with a known mistake, to show it is not vacuous.
  it.each([
    [
      'partialResponses misspelt on the queue subscription',
      'export function probe(q: sst.aws.Queue) { q.subscribe("h.handler", { batch: { partialResponse: true } }); }',
      "'partialResponse' does not exist",
    ],
    [
      'a runtime Lambda does not have',
      'export const probe = () => new sst.aws.Function("F", { handler: "h.handler", runtime: "nodejs99.x" });',
      '"nodejs99.x"',
    ],
    [
      'a misspelt alarm argument',
      'export const probe = () => new aws.cloudwatch.MetricAlarm("A", { threshhold: 1, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1 });',
      "'threshhold' does not exist",
    ],
    [
      'a misspelt scaling config on the event source mapping of a subscription',
      'export function probe(q: sst.aws.Queue) { q.subscribe("h.handler", { transform: { eventSourceMapping: { scalingConfg: { maximumConcurrency: 5 } } } }); }',
      "'scalingConfg' does not exist",
    ],
    [
      'a queue policy without its policy',
      'export const probe = (q: sst.aws.Queue) => new aws.sqs.QueuePolicy("P", { queueUrl: q.url });',
      "Property 'policy' is missing",
    ],
  ])('report %s', (_name, source, expected) => {
    // Prepare
    const probe = join(repoRoot, 'infra', 'components', 'probe.ts');
    // Act
    const diagnostics = typecheckSstApp({ repoRoot, platformDir, overlay: { [probe]: source } });
    // Assess
    const fromProbe = diagnostics.filter((d) => d.startsWith('infra/components/probe.ts'));
    expect(fromProbe.join('\n')).toContain(expected);
  }, 60_000);
});
