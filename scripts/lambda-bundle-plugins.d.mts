import type { Plugin } from 'esbuild';

export declare const LAMBDA_ALIASES: Readonly<Record<'@aws-sdk/credential-provider-node' | '@smithy/core/event-streams', string>>;
export declare const lambdaAliases: Plugin;
export declare const sdkVersionOnly: Plugin;
declare const plugins: Plugin[];
export default plugins;
