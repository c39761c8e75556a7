import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { rolloutDefinition } from '@ecs-rebalancer/core';
import { rolloutStateMachineName, stateMachineDefinition } from './state-machine.js';

const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:ecs-rebalancer-prod-Rollout';

function tasks(definition: Record<string, unknown>): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.Type === 'Task') found.push(record);
    Object.values(record).forEach(walk);
  };
  walk(definition);
  return found;
}

describe('the deployed rollout state machine', () => {
  it('is the definition the local runs use, for the deployed function', () => {
    expect(JSON.parse(stateMachineDefinition(functionArn))).toEqual(rolloutDefinition({ functionArn }));
  });

  it('is what the SST wiring deploys', () => {
    const wiring = readFileSync(new URL('./components/state-machine.ts', import.meta.url), 'utf8');
    expect(wiring).toMatch(/import \{ stateMachineDefinition \} from '\.\.\/state-machine\.js';/);
    expect(wiring).toMatch(/definition: opts\.rollout\.arn\.apply\(\(functionArn\) => stateMachineDefinition\(functionArn\)\)/);
  });

  it('is valid JSONPath ASL', () => {
    const result = aslValidator(JSON.parse(stateMachineDefinition(functionArn)));
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('invokes only the rollout function, which is all its role may invoke', () => {
    const definition = JSON.parse(stateMachineDefinition(functionArn)) as Record<string, unknown>;
    const targets = tasks(definition).map((t) => {
      const parameters = (t.Parameters ?? {}) as Record<string, unknown>;
      // lambda:invoke and lambda:invoke.waitForTaskToken name the function in Parameters.
      return String(t.Resource).startsWith('arn:aws:states:::lambda:invoke') ? parameters.FunctionName : t.Resource;
    });
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets)).toEqual(new Set([functionArn]));
  });
});

describe('rolloutStateMachineName', () => {
  it('is derived from the app and the stage, so the rollout role can name it before it exists', () => {
    expect(rolloutStateMachineName('ecs-rebalancer', 'prod')).toBe('ecs-rebalancer-prod-rollout');
  });

  it.each([
    { name: 'longer than the 80 characters Step Functions allows', stage: 'x'.repeat(70) },
    { name: 'with a character a state machine name may not hold', stage: 'alice/dev' },
  ])('refuses a stage that makes a name $name', ({ stage }) => {
    expect(() => rolloutStateMachineName('ecs-rebalancer', stage)).toThrow(/1-80 letters, digits/);
  });

  it('is the name the SST wiring gives the state machine and the rollout role', () => {
    const rebalancer = readFileSync(new URL('./components/rebalancer.ts', import.meta.url), 'utf8');
    const wiring = readFileSync(new URL('./components/state-machine.ts', import.meta.url), 'utf8');
    const functions = readFileSync(new URL('./components/functions.ts', import.meta.url), 'utf8');
    expect(rebalancer).toMatch(/const stateMachineName = rolloutStateMachineName\(\$app\.name, \$app\.stage\);/);
    expect(rebalancer).toMatch(/createStateMachine\(\{ scope, rollout, name: stateMachineName \}\)/);
    expect(wiring).toMatch(/name: opts\.name,/);
    expect(functions).toMatch(/rolloutStatements\(s, policy, \{ stateMachineName: opts\.stateMachineName[,} ]/);
  });
});
