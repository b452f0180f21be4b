import { describe, expect, it } from 'vitest';
import { PeriodicPass, type PassOutcome } from '../dist/common/scheduling/periodic-pass.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicPass', () => {
  it('runs passes one at a time, hands each outcome to next, and stop waits for the pass in flight', async () => {
    let running = 0;
    let maxRunning = 0;
    let passes = 0;
    const outcomes: PassOutcome<number>[] = [];
    let finishedLast = false;
    const loop: PeriodicPass<number> = new PeriodicPass<number>({
      run: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        passes += 1;
        await sleep(20);
        running -= 1;
        if (loop.stopped) finishedLast = true;
        if (passes === 2) throw new Error('second pass fails');
        return passes;
      },
      next: (outcome) => {
        outcomes.push(outcome);
        return 1;
      },
    });
    loop.start(0);
    while (passes < 4) await sleep(5);
    expect(running).toBe(1);
    await loop.stop();
    expect(finishedLast).toBe(true);
    expect(running).toBe(0);
    expect(maxRunning).toBe(1);
    expect(outcomes[0]).toEqual({ ok: true, value: 1 });
    expect(outcomes[1]).toMatchObject({ ok: false, error: new Error('second pass fails') });
    expect(outcomes[2]).toEqual({ ok: true, value: 3 });
    // Nothing runs after stop.
    const stoppedAt = passes;
    await sleep(30);
    expect(passes).toBe(stoppedAt);
  });

  it('never runs when stopped before its first delay', async () => {
    let passes = 0;
    const loop = new PeriodicPass({ run: async () => void (passes += 1), next: () => 1 });
    loop.start(20);
    await loop.stop();
    await sleep(40);
    expect(passes).toBe(0);
  });
});
