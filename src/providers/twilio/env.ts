import { ConfigError } from '../../core/errors.js';

/*
 * Reading a carrier section's variables: shared by the carriers that speak Twilio's API. Cheap to import
 * (no SDK), as entry modules must be.
 */

/** A string field of a workspaces.json section (the config reader checked the kinds), else undefined. */
export function sectionField(section: Record<string, unknown>, field: string): string | undefined {
  const value = section[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A field the section must have: ConfigError `<file>: <where>.<field>: missing` otherwise. */
export function requiredField(section: Record<string, unknown>, field: string, where: string, file: string): string {
  const value = sectionField(section, field);
  if (value === undefined) throw new ConfigError(`${file}: ${where}.${field}: missing`);
  return value;
}

/** The value of the variable a section names (`<where>.<field>`); registered as a secret, never printed. */
export { readEnv as readEnvSecret } from '../../core/config.js';
