/**
 * Replays every recorded history (`histories/*.json`) against the current workflow code. A change to
 * the interpreter that would make a run in flight take a different path fails here; such changes must be
 * guarded with `patched()` so both the old and the new histories replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { inject, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { installTemporalRuntime } from '@trellis/worker';
import { replayScenarios } from './scenarios.js';

const historiesDir = new URL('./histories/', import.meta.url);
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has a recorded history for every scenario', () => {
    const recorded = new Set(files.map((file) => file.replace(/^v\d+-/, '').replace(/(\.\d+)?\.json$/, '')));
    const missing = replayScenarios.map((scenario) => scenario.name).filter((name) => !recorded.has(name));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    installTemporalRuntime();
    const history: unknown = JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, history, file),
    ).resolves.toBeUndefined();
  });
});
