import { AppError } from '@shop/platform';

/** The AppError a call throws, or undefined when it returns; anything else thrown fails the test. */
export function errorOf(fn: () => unknown): AppError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  return undefined;
}

/** The AppError code a call throws, or undefined when it returns. */
export const errorCodeOf = (fn: () => unknown): string | undefined => errorOf(fn)?.code;
