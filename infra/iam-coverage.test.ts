// Least privilege, checked against the code itself: every AWS SDK command reachable from a
// handler's entry point must be allowed by that function's role, and the role allows nothing
// the code never calls. The handlers' source is read as text through esbuild's import graph;
// infra's runtime modules still import nothing from packages/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { parsePolicy } from '@ecs-rebalancer/core';
import { describe, expect, it } from 'vitest';
import type { AccountScope } from './arns.js';
import { reactStatements, rolloutStatements, tickStatements } from './iam-statements.js';
import type { PolicyStatement } from './iam-types.js';
import { HANDLERS } from './settings.js';

const REPO = new URL('../', import.meta.url).pathname;
const IAM_PREFIX: Record<string, string> = {
  'client-ecs': 'ecs',
  'client-cloudwatch': 'cloudwatch',
  'client-eventbridge': 'events',
  'client-sqs': 'sqs',
  'client-sfn': 'states',
};
// Services called through packages/functions/src/adapters/signed-request.ts, which imports
// no SDK client: by the name of the client the call is made on (`this.ssm.call<Out>('GetParameter', ...)`,
// `this.dynamodb.call('BatchGetItem', ...)`); a signed call on any other name fails the test.
const SIGNED_CLIENT_PREFIX: Record<string, string> = { ssm: 'ssm', dynamodb: 'dynamodb', sqs: 'sqs', eventBridge: 'events', cloudWatch: 'cloudwatch' };
// SQS batch APIs are authorised as their single-message action.
const IAM_ACTION: Record<string, string> = {
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
};
/** Calls Lambda's event source mapping makes on the react function's behalf, not its code. */
const EVENT_SOURCE_CALLS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'];

const INDEX_TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:123456789012:table/index';
const scope: AccountScope = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
const policy = parsePolicy({ clusters: { prod: { providers: { od: 'on-demand' }, fallback: { to: 'od', alarms: ['prod-spot-interruptions'] } } } });
const roles: Record<keyof typeof HANDLERS, PolicyStatement[]> = {
  react: reactStatements(scope, policy, {
    queueArn: 'arn:aws:sqs:eu-west-1:123456789012:q',
    deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq',
    killSwitchParameter: '/app/test/kill-switch',
    instanceIndexTableArn: INDEX_TABLE_ARN,
  }),
  tick: tickStatements(scope, policy, { killSwitchParameter: '/app/test/kill-switch', instanceIndexTableArn: INDEX_TABLE_ARN }),
  rollout: rolloutStatements(scope, policy, { stateMachineName: 'ecs-rebalancer-test-rollout', killSwitchParameter: '/app/test/kill-switch' }),
};

/** Every `service:Action` the code reachable from a handler sends with an SDK v3 client. */
async function sdkCallsOf(handler: string): Promise<string[]> {
  const entry = join(REPO, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    // Workspace packages are followed (they are ours); registry packages are not.
    plugins: [
      {
        name: 'external-registry-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ecs-rebalancer/') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  const calls = new Set<string>();
  for (const file of Object.keys(result.metafile.inputs)) {
    const text = readFileSync(join(process.cwd(), file), 'utf8');
    for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      const prefix = IAM_PREFIX[match[2]!];
      if (!prefix) continue;
      for (const name of match[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        const command = /^(\w+)Command$/.exec(name);
        const paginator = /^paginate(\w+)$/.exec(name);
        const action = command?.[1] ?? paginator?.[1];
        if (action && new RegExp(`\\b${name}\\b`).test(text.replace(match[0], ''))) calls.add(IAM_ACTION[`${prefix}:${action}`] ?? `${prefix}:${action}`);
      }
    }
    for (const call of signedCallsIn(text, file)) calls.add(call);
  }
  return [...calls].sort();
}

/** The `service:Action`s a source file calls through a SignedJsonClient (`<client>.call('Operation', …)`, with or without a type argument). */
function signedCallsIn(text: string, file: string): string[] {
  return [...text.matchAll(/\b(\w+)\s*\.call\s*(?:<[^>()]*>)?\(\s*['"`](\w+)['"`]/g)].map((m) => {
    const prefix = SIGNED_CLIENT_PREFIX[m[1]!];
    if (!prefix) throw new Error(`${file}: signed call of ${m[2]} on ${m[1]} — name its service in SIGNED_CLIENT_PREFIX`);
    return IAM_ACTION[`${prefix}:${m[2]!}`] ?? `${prefix}:${m[2]!}`;
  });
}

function allowed(statements: PolicyStatement[]): string[] {
  return [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
}

describe('the scan of signed calls', () => {
  it('reads the service from the client and the action from .call(), with or without a type argument, and refuses a client it cannot name', () => {
    const source = "await this.dynamodb.call('BatchGetItem', input);\nawait this.ssm.call<Out>(\n  'GetParameter', x);\nfn.call(this, 'PutItem');";
    expect(signedCallsIn(source, 'a.ts')).toEqual(['dynamodb:BatchGetItem', 'ssm:GetParameter']);
    expect(() => signedCallsIn("caller.call('CreateTable', {})", 'b.ts')).toThrow(/b.ts: signed call of CreateTable on caller/);
  });
});

describe('each role allows exactly the SDK calls its handler makes', () => {
  it.each(Object.entries(HANDLERS) as [keyof typeof HANDLERS, string][])('%s', async (name, handler) => {
    // Act
    const calls = await sdkCallsOf(handler);
    const granted = allowed(roles[name]);
    // Assess
    expect(calls.length).toBeGreaterThan(3);
    expect({ missing: calls.filter((c) => !granted.includes(c)) }).toEqual({ missing: [] });
    const unused = granted.filter((a) => !calls.includes(a) && !(name === 'react' && EVENT_SOURCE_CALLS.includes(a)));
    expect({ unused }).toEqual({ unused: [] });
  });
});
