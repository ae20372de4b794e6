import type { Directory } from './model.js';

/** Deep copy, so that planning on a model never changes the one it came from. */
export function cloneDirectory(dir: Directory): Directory {
  return {
    numbers: new Map([...dir.numbers].map(([k, v]) => [k, structuredClone(v)])),
    workspaces: new Set(dir.workspaces),
    stamps: structuredClone(dir.stamps),
  };
}
