// Type-checks sst.config.ts and infra/components offline, against SST's own platform
// sources. The DESIGN recipe (`sst install`, then tsc) needs the network: `sst install`
// unpacks the platform sources from the sst binary into .sst/platform, then npm-installs
// @pulumi/aws and the other providers into it. The unpacking is offline; the npm step is
// not. So: run `sst install` in a scratch directory with npm forced offline on an empty
// cache (the install step fails fast, deterministically, after the sources are unpacked),
// then build a TypeScript program in which <repo>/.sst/platform is served from that scratch
// copy and @pulumi/* come from ./pulumi-shims.d.ts. Only diagnostics in the app's own files
// count: SST's sources do not type-check without the real Pulumi packages, and are not ours.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The config.d.ts that `sst install` writes for an app with the aws provider (minus linked-resource types). */
const CONFIG_D_TS = `import "./src/global.d.ts"
import { AppInput, App, Config } from "./src/config"
import * as _aws from "@pulumi/aws";

declare global {
  // @ts-expect-error
  export import aws = _aws
  interface Providers {
    providers?: {
      "aws"?:  (_aws.ProviderArgs & { package?: string, version?: string }) | string;
    }
  }
  export const $config: (
    input: Omit<Config, "app"> & {
      app(input: AppInput): Promise<Omit<App, "providers"> & Providers> | (Omit<App, "providers"> & Providers);
    },
  ) => Config;
}
`;

/** Where the sst binary of the installed `sst` package is. */
function sstBinary(repoRoot: string): string {
  const require = createRequire(join(repoRoot, 'package.json'));
  const name = `sst-${process.platform}-${process.arch}`;
  return require.resolve(join(name, 'bin', process.platform === 'win32' ? 'sst.exe' : 'sst'));
}

/**
 * Unpacks the SST platform sources of the installed sst version into a scratch directory
 * and returns its `.sst/platform` path. Never touches the network or the repository.
 */
export function unpackSstPlatform(repoRoot: string): string {
  const work = mkdtempSync(join(tmpdir(), 'sst-platform-'));
  writeFileSync(join(work, 'package.json'), '{"name":"sst-typecheck","private":true,"type":"module"}\n');
  writeFileSync(join(work, 'sst.config.ts'), 'export default $config({ app() { return { name: "typecheck", home: "aws" }; }, async run() {} });\n');
  const result = spawnSync(sstBinary(repoRoot), ['install'], {
    cwd: work,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      // The sst binary writes its log under the temp directory: keep it in the scratch copy.
      TMPDIR: work,
      SST_STAGE: 'typecheck',
      SST_SKIP_DEPENDENCY_CHECK: 'true',
      SST_TELEMETRY_DISABLED: '1',
      SST_NO_BUN: 'true',
      // The provider install must not reach the registry, nor find a warm cache.
      npm_config_offline: 'true',
      npm_config_cache: join(work, 'empty-npm-cache'),
      npm_config_update_notifier: 'false',
    },
  });
  const platform = join(work, '.sst', 'platform');
  if (!existsSync(join(platform, 'src', 'global.d.ts'))) {
    throw new Error(`sst install did not unpack the platform sources into ${platform}: ${result.error?.message ?? ''} ${result.stdout} ${result.stderr}`);
  }
  return platform;
}

/** Deletes the scratch directory of unpackSstPlatform. */
export function removeUnpackedPlatform(platformDir: string): void {
  const work = resolve(platformDir, '..', '..');
  if (!work.startsWith(resolve(tmpdir()) + sep) || !work.includes('sst-platform-')) return;
  rmSync(work, { recursive: true, force: true });
}

export interface TypecheckOptions {
  repoRoot: string;
  /** A directory from unpackSstPlatform. */
  platformDir: string;
  /** Extra or replaced files (absolute path → text), for probes. */
  overlay?: Record<string, string>;
  /**
   * Use ./pulumi-shims.d.ts (the default). Pass false with a platform directory that a
   * networked `sst install` completed, to check against the real Pulumi packages.
   */
  shims?: boolean;
}

function appFiles(repoRoot: string): string[] {
  const components = join(repoRoot, 'infra', 'components');
  return [
    join(repoRoot, 'sst.config.ts'),
    ...readdirSync(components)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(components, f)),
  ];
}

/** True for the files whose diagnostics count: sst.config.ts and infra/ (not SST's, not other packages'). */
function isAppFile(repoRoot: string, file: string): boolean {
  const rel = relative(repoRoot, file);
  if (rel.startsWith('..') || rel.includes(`node_modules${sep}`) || rel.startsWith(`.sst${sep}`)) return false;
  return rel === 'sst.config.ts' || rel.startsWith(`infra${sep}`);
}

/** Type-checks the SST app and returns its diagnostics as `file(line,col): message` lines. */
export function typecheckSstApp(opts: TypecheckOptions): string[] {
  const repoRoot = resolve(opts.repoRoot);
  const virtualPlatform = join(repoRoot, '.sst', 'platform');
  const configPath = join(virtualPlatform, 'config.d.ts');
  const overlay = new Map(Object.entries(opts.overlay ?? {}).map(([k, v]) => [resolve(k), v]));
  const shims = join(dirname(fileURLToPath(import.meta.url)), 'pulumi-shims.d.ts');

  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [join(repoRoot, 'node_modules', '@types')],
  };

  // <repo>/.sst/platform/** is served from the scratch copy, whatever is on disk there.
  const mapPath = (p: string): string => {
    const abs = resolve(p);
    return abs === virtualPlatform || abs.startsWith(virtualPlatform + sep) ? join(opts.platformDir, relative(virtualPlatform, abs)) : abs;
  };
  const base = ts.createCompilerHost(options, true);
  const host: ts.CompilerHost = {
    ...base,
    fileExists: (f) => resolve(f) === configPath || overlay.has(resolve(f)) || base.fileExists(mapPath(f)),
    readFile: (f) => (resolve(f) === configPath ? CONFIG_D_TS : (overlay.get(resolve(f)) ?? base.readFile(mapPath(f)))),
    directoryExists: (d) =>
      resolve(d) === virtualPlatform ||
      [...overlay.keys()].some((f) => f.startsWith(resolve(d) + sep)) ||
      (base.directoryExists?.(mapPath(d)) ?? false),
    getDirectories: (d) => base.getDirectories?.(mapPath(d)) ?? [],
    realpath: (p) => {
      const abs = resolve(p);
      return abs.startsWith(virtualPlatform + sep) ? abs : (base.realpath?.(p) ?? p);
    },
    getSourceFile: (fileName, languageVersion) => {
      const text = host.readFile(fileName);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true);
    },
  };

  const roots = [...appFiles(repoRoot), ...overlay.keys(), configPath, ...(opts.shims === false ? [] : [shims])];
  const program = ts.createProgram({ rootNames: [...new Set(roots)], options, host });
  const diagnostics = program
    .getSourceFiles()
    .filter((sf) => isAppFile(repoRoot, sf.fileName))
    .flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(repoRoot, d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
  });
}

/**
 * Type-checks infra's plain modules and tests (infra/tsconfig.json) and returns the
 * diagnostics in infra/ only: other packages are checked by their own tsconfig.
 */
export function typecheckInfraModules(repoRoot: string): string[] {
  const root = resolve(repoRoot);
  const configFile = join(root, 'infra', 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (f) => readFileSync(f, 'utf8'));
  if (read.error) return [ts.flattenDiagnosticMessageText(read.error.messageText, '\n')];
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile));
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || relative(root, d.file.fileName).startsWith(`infra${sep}`))
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return message;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(root, d.file.fileName)}(${line + 1},${character + 1}): ${message}`;
    });
}
