// IAM policy documents as plain data, in the JSON shape IAM reads.

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service: string | string[] } | { AWS: string | string[] };
  Action: string | string[];
  Resource: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface TrustPolicyDocument {
  Version: '2012-10-17';
  Statement: (Omit<PolicyStatement, 'Resource'> & { Principal: { Service: string } })[];
}

export function asArray<T>(value: T | readonly T[]): T[] {
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** One statement in the shape of SST's `FunctionArgs.permissions` items. */
export interface FunctionPermission {
  effect: 'allow' | 'deny';
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** Converts IAM statements to SST function permissions, keeping every condition. */
export function toFunctionPermissions(statements: readonly PolicyStatement[]): FunctionPermission[] {
  return statements.map((s) => {
    const permission: FunctionPermission = {
      effect: s.Effect === 'Allow' ? 'allow' : 'deny',
      actions: asArray(s.Action),
      resources: asArray(s.Resource),
    };
    if (s.Condition) {
      permission.conditions = Object.entries(s.Condition).flatMap(([test, keys]) =>
        Object.entries(keys).map(([variable, values]) => ({ test, variable, values: asArray(values) })),
      );
    }
    return permission;
  });
}
