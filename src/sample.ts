import { fileURLToPath } from 'node:url';

/** The sample agents/ folder shipped with the package (the emulator's default scenario matches it). */
export const REPO_AGENTS_DIR = fileURLToPath(new URL('../agents', import.meta.url));
