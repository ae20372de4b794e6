import { expect } from 'vitest';
import { UsageError } from '../../src/core/errors.js';

/** Runs `run`, expects it to throw a usage error (exit 2) whose message quotes `quoted`, and returns it. */
export function expectUsageError(run: () => unknown, quoted: string): UsageError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const error = caught as UsageError;
  expect(error.exitCode).toBe(2);
  expect(error.message).toContain(quoted);
  return error;
}
