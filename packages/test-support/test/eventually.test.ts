import { describe, expect, it } from 'vitest';
import { eventually } from '../src/index.js';

describe('eventually', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    expect(await eventually(() => (++calls >= 3 ? { calls } : undefined))).toEqual({ calls: 3 });
  });

  it('throws once the timeout has passed, and passes on what the check throws', async () => {
    await expect(eventually(async () => false, 250)).rejects.toThrow('condition not met within 250 ms');
    await expect(
      eventually(() => {
        throw new Error('check failed');
      }),
    ).rejects.toThrow('check failed');
  });
});
