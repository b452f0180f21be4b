import { describe, expect, it } from 'vitest';
import { parseDuration } from '@trellis/dag-interpreter';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['1.5s', 1_500],
    ['0.25m', 15_000],
    ['0s', 0],
    ['1.6ms', 2],
  ])('parses %s as %d ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each(['', '10', 's', '10 s', '-1s', '1w', '1.s', '.5s', '10S', ' 10s'])('rejects %j with a RangeError', (text) => {
    expect(() => parseDuration(text)).toThrow(RangeError);
    expect(() => parseDuration(text)).toThrow(/invalid duration .*expected a number followed by ms, s, m, h or d/);
  });

  it('rejects durations too large for milliseconds', () => {
    expect(() => parseDuration('99999999999999999999d')).toThrow(/too large/);
  });
});
