import { describe, expect, it } from 'vitest';
import { attemptsFromEvents } from '../dist/modules/runs/services/node-attempts.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);

describe('attemptsFromEvents', () => {
  it('reads a failed first attempt, the backoff, and a second attempt that succeeded', () => {
    expect(
      attemptsFromEvents([
        { type: 'node.started', createdAt: at(0), data: { nodeType: 'http' } },
        { type: 'node.attempt_failed', createdAt: at(1), data: { attempt: 1, error: 'HTTP 503' } },
        { type: 'node.retrying', createdAt: at(3), data: { attempt: 2 } },
        { type: 'node.succeeded', createdAt: at(4), data: { attempts: 2 } },
      ]),
    ).toEqual([
      { attempt: 1, startedAt: at(0), finishedAt: at(1), error: 'HTTP 503' },
      { attempt: 2, startedAt: at(3), finishedAt: at(4), error: null },
    ]);
  });

  it('reads the attempts whatever order the events were stored in, starting attempt 1 at the node row', () => {
    expect(
      attemptsFromEvents(
        [
          { type: 'node.attempt_failed', createdAt: at(1), data: { attempt: 1, error: 'HTTP 503' } },
          { type: 'node.started', createdAt: at(2), data: {} },
          { type: 'node.retrying', createdAt: at(3), data: { attempt: 2 } },
          { type: 'node.succeeded', createdAt: at(4), data: {} },
        ],
        at(0),
        at(3.5),
      ),
    ).toEqual([
      { attempt: 1, startedAt: at(0), finishedAt: at(1), error: 'HTTP 503' },
      { attempt: 2, startedAt: at(3), finishedAt: at(3.5), error: null },
    ]);
  });

  it('keeps an attempt open while it runs, closes one without its own failure event at the next start, and takes a final failure', () => {
    expect(attemptsFromEvents([{ type: 'node.started', createdAt: at(0), data: {} }])).toEqual([
      { attempt: 1, startedAt: at(0), finishedAt: null, error: null },
    ]);
    expect(
      attemptsFromEvents([
        { type: 'node.started', createdAt: at(0), data: {} },
        { type: 'node.retrying', createdAt: at(2), data: { attempt: 2 } },
        { type: 'node.failed', createdAt: at(5), data: { error: 'gave up' } },
      ]),
    ).toEqual([
      { attempt: 1, startedAt: at(0), finishedAt: at(2), error: null },
      { attempt: 2, startedAt: at(2), finishedAt: at(5), error: 'gave up' },
    ]);
    expect(attemptsFromEvents([])).toEqual([]);
  });
});
