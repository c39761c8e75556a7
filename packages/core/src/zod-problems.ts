import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { formatPath, type Problem } from './errors.js';

// The core's schemas are written with `zod/mini`, whose functions tree-shake (a Lambda bundle
// keeps only what it uses). Unlike the classic `zod` it loads no locale: the English messages
// are passed to each parse, so they do not depend on which zod build loaded first.
const english = en().localeError;

/** zod's English message for an issue no schema or caller named one for. */
export const englishMessage: z.core.$ZodErrorMap = (issue) => english(issue);

/** `schema.safeParse(input)` with zod's English messages. */
export function safeParseEnglish<S extends z.core.$ZodType>(schema: S, input: unknown): z.core.util.SafeParseResult<z.output<S>> {
  return z.safeParse(schema, input, { error: englishMessage });
}

/**
 * Turns zod issues into problems with dotted JSON paths, one per unknown key, with messages
 * an operator can act on ("required" rather than "expected string, received undefined").
 */
export function zodProblems(error: z.core.$ZodError): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }));
    }
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'required' : issue.message;
    return [{ path: formatPath(issue.path), message }];
  });
}
