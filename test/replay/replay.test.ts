/**
 * Replays every recorded history (`histories/*.json`) against the current workflow code. A change to
 * the interpreter that would make a run in flight take a different path fails here; such changes must be
 * guarded with `patched()` so both the old and the new histories replay. Replays use the workers' data
 * converter (payload encryption, encoded failure attributes): histories recorded before encryption still replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_PATCHES } from '@trellis/dag-interpreter';
import { createEncryptionCodec, FAILURE_CONVERTER_PATH, readPayloadKeys } from '@trellis/db';
import { TEST_SECRET_KEY } from '@trellis/test-support/worker';
import { installTemporalRuntime } from '@trellis/worker';
import { replayScenarios } from './scenarios.js';

/** Every `patched()` call in the workflow code names its id through `WORKFLOW_PATCHES`, so this list is complete. */
const PATCH_IDS: readonly string[] = Object.values(WORKFLOW_PATCHES);

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

  it('finds every patched() call of the workflow code in WORKFLOW_PATCHES', () => {
    const sourceDir = new URL('../../packages/dag-interpreter/src/', import.meta.url).pathname;
    const sources = (readdirSync(sourceDir, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
    // `patched()` with no argument only appears in comments.
    const calls = sources.flatMap((file) => [...readFileSync(join(sourceDir, file), 'utf8').matchAll(/\bpatched\(([^)]*)\)/g)].map((match) => match[1]).filter((argument) => argument !== ''));
    expect(calls.length).toBeGreaterThanOrEqual(PATCH_IDS.length);
    expect(calls.filter((argument) => !/^WORKFLOW_PATCHES\.\w+$/.test(argument))).toEqual([]);
    const used = new Set(calls.map((argument) => argument.replace('WORKFLOW_PATCHES.', '')));
    expect([...used].sort()).toEqual(Object.keys(WORKFLOW_PATCHES).sort());
  });

  it('covers both paths of every patch: histories recorded before it and after it', () => {
    const dagHistories = files.filter((file) => readFileSync(new URL(file, historiesDir), 'utf8').includes('"name": "dagWorkflow"'));
    for (const patch of PATCH_IDS) {
      const withMarker = dagHistories.filter((file) => patchesIn(file).includes(patch));
      expect(withMarker.length, patch).toBeGreaterThan(0);
      expect(dagHistories.length - withMarker.length, patch).toBeGreaterThan(0);
    }
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    installTemporalRuntime();
    const history: unknown = JSON.parse(readFileSync(new URL(file, historiesDir), 'utf8'));
    const dataConverter = { payloadCodecs: [createEncryptionCodec(readPayloadKeys({ TRELLIS_SECRET_KEY: TEST_SECRET_KEY })!)], failureConverterPath: FAILURE_CONVERTER_PATH };
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter, replayName: file }, history, file),
    ).resolves.toBeUndefined();
  });
});
