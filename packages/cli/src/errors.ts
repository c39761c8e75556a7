/** A user's mistake on the command line or in an input file: one line on stderr, exit 2. */
export class InputError extends Error {
  override name = 'InputError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Exit codes of the CLI (DESIGN.md, CLI). */
export const ExitCode = { Ok: 0, ExpectationsFailed: 1, BadInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
