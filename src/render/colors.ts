import { Chalk, type ChalkInstance } from 'chalk';

export interface ColorDecision { noColorFlag: boolean; env: Record<string, string | undefined>; isTTY: boolean }

/** Decided once: --no-color and NO_COLOR win, then FORCE_COLOR, then whether the stream is a terminal. */
export function decideColor({ noColorFlag, env, isTTY }: ColorDecision): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function makeChalk(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
