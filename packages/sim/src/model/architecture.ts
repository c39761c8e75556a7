import { Architecture } from './types.js';

/**
 * The CPU architecture of an EC2 instance type: Graviton families carry a "g" right after the
 * generation digit (m7g, c6gn, r8gd, t4g, x2gd, im4gn; EC2 User Guide, "Amazon EC2 instance
 * types": general purpose, compute and memory optimized families with AWS Graviton
 * processors). a1 is Graviton too. Everything else is x86_64 (Intel "i", AMD "a" suffixes).
 */
export function architectureOf(instanceType: string): Architecture {
  const family = instanceType.split('.')[0] ?? '';
  if (family === 'a1' || /^[a-z]+\d+g/.test(family)) return Architecture.Arm64;
  return Architecture.X86_64;
}
