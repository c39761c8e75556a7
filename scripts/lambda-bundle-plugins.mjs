// The esbuild plugins of the Lambda bundles, in plain JavaScript: SST deploys the functions
// with its own esbuild (Go) and runs this file in a plain `node` (its plugin bridge
// `import()`s it, no TypeScript loader), through `nodejs.plugins` in infra/settings.ts's
// LAMBDA_NODEJS; scripts/bundle.ts, which bench/bundle-size measures, uses the same array.
// SST's `nodejs.esbuild` takes no `alias` (its options are a Pick of BuildOptions without
// it), so the aliases are an onResolve plugin here rather than esbuild's `alias` option.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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

// Each generated SDK client registers every error its service models (ECS: 31 classes, 7.7
// KiB minified), whichever operations are called, since the protocol looks an error code up in
// that registry to build the error. Each class is the same dozen lines: a shapeId, a `name`
// and `$fault` field, the members copied from the options. The bundle builds the same classes
// from one function and a line per error: same class name, `name`, `$fault`, shapeId (so
// `instanceof` keeps working), members and prototype chain.
const SDK_ERRORS = /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]models[\\/]errors\.js$/;
const ERRORS_IMPORT = /^import \{ (\w+) as __BaseException \} from "(\.\/\w+)";\n/;
const ERROR_CLASS = /^export class (\w+) extends __BaseException \{\n    static shapeId = "([^"]+)";\n    name = "\1";\n    \$fault = "(client|server)";\n((?:    \w+;\n)*)    constructor\(opts\) \{\n        super\(\{\n            name: "\1",\n            \$fault: "\3",\n            \.\.\.opts,\n        \}\);\n        Object\.setPrototypeOf\(this, \1\.prototype\);\n((?:        this\.(\w+) = opts\.\6;\n)*)    \}\n\}\n/;

/**
 * The compact form of a generated `models/errors.js`, or undefined when the file is not
 * exactly the generated shape (a new SDK version that changed it is then bundled as it is).
 */
export function compactSdkErrors(source) {
  const head = ERRORS_IMPORT.exec(source);
  if (!head) return undefined;
  let rest = source.slice(head[0].length);
  const lines = [];
  while (rest.length > 0) {
    const m = ERROR_CLASS.exec(rest);
    if (!m) return undefined;
    const [whole, name, shapeId, fault, declared, assigned] = m;
    const fields = declared.split('\n').filter(Boolean).map((l) => l.trim().slice(0, -1));
    const copied = [...assigned.matchAll(/this\.(\w+) = /g)].map((a) => a[1]);
    if (fields.join() !== copied.join()) return undefined;
    lines.push(`export const ${name} = error(${JSON.stringify(shapeId)}, "${fault}", ${JSON.stringify(fields)});`);
    rest = rest.slice(whole.length);
  }
  return [
    `import { ${head[1]} as __BaseException } from "${head[2]}";`,
    'const error = (shapeId, $fault, members) => {',
    '    const name = shapeId.slice(shapeId.indexOf("#") + 1);',
    '    const C = { [name]: class extends __BaseException {',
    '        static shapeId = shapeId;',
    '        constructor(opts) {',
    '            super({ name, $fault, ...opts });',
    '            this.name = name;',
    '            this.$fault = $fault;',
    '            for (const m of members) this[m] = undefined;',
    '            Object.setPrototypeOf(this, C.prototype);',
    '            for (const m of members) this[m] = opts[m];',
    '        }',
    '    } }[name];',
    '    return C;',
    '};',
    ...lines,
    '',
  ].join('\n');
}

/** @type {import('esbuild').Plugin} */
export const sdkCompactErrors = {
  name: 'sdk-compact-errors',
  setup(build) {
    build.onLoad({ filter: SDK_ERRORS }, async (args) => {
      const contents = compactSdkErrors(await readFile(args.path, 'utf8'));
      return contents === undefined ? undefined : { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/** What SST's `nodejs.plugins` reads: the default export, an array of esbuild plugins. */
export default [lambdaAliases, sdkVersionOnly, sdkCompactErrors];
