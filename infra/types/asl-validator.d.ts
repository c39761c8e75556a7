// asl-validator 4 ships no type declarations. Its CommonJS export is one function.
declare module 'asl-validator' {
  interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText(separator?: string): string;
  }
  function validator(definition: unknown, opts?: Record<string, unknown>): AslValidationResult;
  export = validator;
}
