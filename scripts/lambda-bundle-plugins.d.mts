import type { Plugin } from 'esbuild';

export declare const LAMBDA_ALIASES: Readonly<Record<'@aws-sdk/credential-provider-node' | '@smithy/core/event-streams', string>>;
export declare const lambdaAliases: Plugin;
export declare const sdkVersionOnly: Plugin;
export declare const sdkCompactErrors: Plugin;
/** The compact form of a generated SDK `models/errors.js`, or undefined when the file is not the generated shape. */
export declare function compactSdkErrors(source: string): string | undefined;
declare const plugins: Plugin[];
export default plugins;
