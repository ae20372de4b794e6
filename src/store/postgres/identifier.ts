import { UsageError } from '../../core/errors.js';

export const DEFAULT_SCHEMA = 'phone_dir';

/** Unquoted-identifier rules, lower case only: the name appears as written in `SELECT <schema>.lease(…)`. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new UsageError(
      `pool store schema "${schema}" is not a valid name`,
      'use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63)',
    );
  }
  return schema;
}

/** The schema as an SQL identifier: always quoted, so a name that is an SQL keyword still works. */
export function quoteSchema(schema: string): string {
  return `"${checkSchemaName(schema)}"`;
}
