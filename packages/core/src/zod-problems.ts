import type { z } from 'zod';
import { formatPath, type Problem } from './errors.js';

/**
 * Turns zod issues into problems with dotted JSON paths, one per unknown key, with messages
 * an operator can act on ("required" rather than "expected string, received undefined").
 */
export function zodProblems(error: z.ZodError): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }));
    }
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'required' : issue.message;
    return [{ path: formatPath(issue.path), message }];
  });
}
