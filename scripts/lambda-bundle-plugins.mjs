// The esbuild plugins of the Lambda bundles, in plain JavaScript: SST deploys the functions
// with its own esbuild (Go) and runs this file in a plain `node` (its plugin bridge
// `import()`s it, no TypeScript loader), through `nodejs.plugins` in infra/settings.ts's
// LAMBDA_NODEJS; scripts/bundle.ts, which bench/bundle-size measures, uses the same array.
// SST's `nodejs.esbuild` takes no `alias` (its options are a Pick of BuildOptions without
// it), so the aliases are an onResolve plugin here rather than esbuild's `alias` option.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Modules of the bundled AWS SDK replaced by a smaller one of ours (absolute paths):
 * Lambda's credentials are in the environment, so the SDK's whole default chain (with its
 * nested STS and SSO clients, ~60 KiB) is left out (scripts/lambda-credentials.ts); so is the
 * event-stream codec no called operation uses (scripts/no-event-streams.ts).
 */
export const LAMBDA_ALIASES = Object.freeze({
  '@aws-sdk/credential-provider-node': fileURLToPath(new URL('./lambda-credentials.ts', import.meta.url)),
  '@smithy/core/event-streams': fileURLToPath(new URL('./no-event-streams.ts', import.meta.url)),
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** @type {import('esbuild').Plugin} */
export const lambdaAliases = {
  name: 'lambda-aliases',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(LAMBDA_ALIASES).map(escape).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: LAMBDA_ALIASES[args.path] }));
  },
};

// Each SDK client imports its whole package.json (about 2 KiB: dependencies, scripts) for one
// field, the version it puts in the User-Agent header; the bundle keeps that field alone.
const SDK_PACKAGE_JSON = /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/;

/** @type {import('esbuild').Plugin} */
export const sdkVersionOnly = {
  name: 'sdk-version-only',
  setup(build) {
    build.onLoad({ filter: SDK_PACKAGE_JSON }, async (args) => {
      const { version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** What SST's `nodejs.plugins` reads: the default export, an array of esbuild plugins. */
export default [lambdaAliases, sdkVersionOnly];
