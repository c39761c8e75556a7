// The bundles' compact SDK error classes (scripts/lambda-bundle-plugins.mjs sdkCompactErrors)
// against the generated ones they replace: every modeled error of every client a function
// bundles must come out the same (class name, `name`, `$fault`, shapeId, members, own
// properties in order, message, instanceof both ways).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../scripts/bundle.js';
import { sdkCompactErrors } from '../scripts/lambda-bundle-plugins.mjs';

type ErrorClass = (new (opts: object) => Error & Record<string, unknown>) & { shapeId?: string };

async function errorsModule(client: string, compact: boolean): Promise<{ classes: Record<string, ErrorClass>; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sdk-errors-'));
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, `export * from ${JSON.stringify(join(REPO_ROOT, 'node_modules/@aws-sdk', client, 'dist-es/models/errors.js'))};\n`);
  const out = join(dir, `${compact ? 'compact' : 'generated'}.mjs`);
  const result = await build({ entryPoints: [entry], outfile: out, bundle: true, format: 'esm', platform: 'node', minify: true, keepNames: true, metafile: true, logLevel: 'silent', plugins: compact ? [sdkCompactErrors] : [] });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { classes: (await import(pathToFileURL(out).href)) as Record<string, ErrorClass>, bytes };
}

const shape = (e: Error & Record<string, unknown>, C: ErrorClass) => ({
  className: C.name,
  shapeId: C.shapeId,
  constructorName: e.constructor.name,
  name: e.name,
  message: e.message,
  own: Object.entries(e).map(([k, v]) => [k, v]),
  isError: e instanceof Error,
});

describe('the compact SDK error classes', () => {
  it.each(['client-ecs', 'client-sfn', 'client-cloudwatch', 'client-sqs', 'client-eventbridge'])('%s: each modeled error is built as the generated class builds it', async (client) => {
    // Prepare
    const { classes: generated, bytes: generatedBytes } = await errorsModule(client, false);
    const { classes: compact, bytes: compactBytes } = await errorsModule(client, true);
    const opts = { message: 'it failed', $metadata: { httpStatusCode: 400, requestId: 'r' }, resourceIds: ['a'], Message: 'It failed', reason: 'why', resourceName: 'n', ResourceType: 't', ResourceId: 'i' };

    // Act
    const names = Object.keys(generated).sort();
    const pairs = names.map((n) => [new generated[n]!(opts), new compact[n]!(opts), n] as const);

    // Assess
    expect(Object.keys(compact).sort()).toEqual(names);
    expect(names.length).toBeGreaterThan(5);
    expect(compactBytes).toBeLessThan(generatedBytes * 0.6);
    for (const [g, c, n] of pairs) {
      expect(shape(c, compact[n]!)).toEqual(shape(g, generated[n]!));
      expect(c instanceof compact[n]!).toBe(true);
      // The SDK's ServiceException matches a class by shapeId: an error of one build is an instance of the other's class.
      expect(c instanceof generated[n]!).toBe(true);
      expect(g instanceof compact[n]!).toBe(true);
    }
  });
});
