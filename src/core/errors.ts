/** Every failure phone-dir expects carries its exit code (spec/cli.md); the CLI maps them in one place. */
export class PhoneDirError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

export class CheckFailedError extends PhoneDirError {
  constructor(message: string) { super(message, 1); }
}
export class UsageError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 2, hint); }
}
export class ConfigError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 2, hint); }
}
export class DataError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 2, hint); }
}
export class NotFoundError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 4, hint); }
}
export class ProviderError extends PhoneDirError {
  readonly provider: string;
  readonly status?: number;
  constructor(provider: string, message: string, status?: number, hint?: string) {
    super(message, 5, hint);
    this.provider = provider;
    this.status = status;
  }
}
export class PoolExhaustedError extends PhoneDirError {
  constructor(message: string, hint?: string) { super(message, 6, hint); }
}
export class UnsafeChangeError extends PhoneDirError {
  constructor(message: string, hint = 'rerun with --force if the change is intended') { super(message, 7, hint); }
}
