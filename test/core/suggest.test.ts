import { describe, expect, it } from 'vitest';
import { didYouMean, suggest } from '../../src/core/suggest.js';

describe('suggest', () => {
  const workspaces = ['prod', 'staging', 'dev-eu'];

  it('finds a one-letter typo, a swap and a case difference', () => {
    expect(suggest('prdo', workspaces)).toBe('prod');
    expect(suggest('stagign', workspaces)).toBe('staging');
    expect(suggest('Staging', workspaces)).toBe('staging');
    expect(suggest('dev-ue', workspaces)).toBe('dev-eu');
  });

  it('suggests nothing for a name far from every known one, or for an empty list', () => {
    expect(suggest('billing', workspaces)).toBeUndefined();
    expect(suggest('x', workspaces)).toBeUndefined();
    expect(suggest('prod', [])).toBeUndefined();
  });

  it('breaks ties by sort order, whatever the iteration order', () => {
    expect(suggest('pool-c', ['pool-b', 'pool-a'])).toBe('pool-a');
    expect(suggest('pool-c', ['pool-a', 'pool-b'])).toBe('pool-a');
  });

  it('didYouMean formats the hint or returns an empty string', () => {
    expect(didYouMean('prdo', workspaces)).toBe(' (did you mean "prod"?)');
    expect(didYouMean('billing', workspaces)).toBe('');
  });
});
