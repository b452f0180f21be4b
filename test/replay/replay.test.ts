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

/** Mirror the workflow's patch ids (`CONTINUE_AS_NEW_PATCH`, `SET_IN_LOCAL_ACTIVITY_PATCH`), which only the workflow bundle may import. */
const CONTINUE_AS_NEW_PATCH = 'trellis-dag-continue-as-new';
const SET_IN_LOCAL_ACTIVITY_PATCH = 'trellis-set-in-local-activity';

/** Ids of the patch markers a history recorded (their payload is JSON `{ id, deprecated }`). */
function patchesIn(file: string): string[] {
  const history = JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8')) as {
    events: { markerRecordedEventAttributes?: { markerName: string; details?: Record<string, { payloads: { data: string }[] }> } }[];
  };
  return history.events.flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id] : [];
  });
}

const historiesDir = new URL('./histories/', import.meta.url);
const files = readdirSync(historiesDir).filter((file) => file.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has a recorded history for every scenario', () => {
    const recorded = new Set(files.map((file) => file.replace(/^v\d+-/, '').replace(/\..*$/, '')));
    const missing = replayScenarios.map((scenario) => scenario.name).filter((name) => !recorded.has(name));
    expect(missing).toEqual([]);
  });

  it('covers both paths of every patch: histories recorded before it and after it', () => {
    const dagHistories = files.filter((file) => readFileSync(new URL(file, historiesDir), 'utf8').includes('"name": "dagWorkflow"'));
    for (const patch of [CONTINUE_AS_NEW_PATCH, SET_IN_LOCAL_ACTIVITY_PATCH]) {
      const withMarker = dagHistories.filter((file) => patchesIn(file).includes(patch));
      expect(withMarker.length, patch).toBeGreaterThan(0);
      expect(dagHistories.length - withMarker.length, patch).toBeGreaterThan(0);
    }
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    installTemporalRuntime();
    const history: unknown = JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, history, file),
    ).resolves.toBeUndefined();
  });
});
