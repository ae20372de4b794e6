import { createRequire } from 'node:module';

// package.json is the one place the version lives; this file sits one level below it in src/ and dist/.
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
