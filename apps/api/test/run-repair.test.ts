import { describe, expect, it } from 'vitest';
import { ApplicationFailure, ServiceError, TimeoutFailure, type WorkflowExecutionStatusName } from '@temporalio/client';
import { isClosedWorkflowStatus, repairEvents, repairFor } from '../dist/modules/runs/services/run-repair.js';
import { isTemporalUnreachable } from '../dist/modules/runs/services/workflow-end-reader.js';

describe('isClosedWorkflowStatus', () => {
  it('closes a run only for statuses after which its workflow runs no more code', () => {
    const closed: WorkflowExecutionStatusName[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'];
    const open: WorkflowExecutionStatusName[] = ['RUNNING', 'CONTINUED_AS_NEW', 'PAUSED', 'UNSPECIFIED', 'UNKNOWN'];
    expect(closed.filter(isClosedWorkflowStatus)).toEqual(closed);
    expect(open.filter(isClosedWorkflowStatus)).toEqual([]);
  });
});

describe('repairFor', () => {
  it('fails a terminated run with the reason, or says none was given', () => {
    expect(repairFor({ status: 'TERMINATED', reason: 'stuck on a bad deploy' })).toEqual({
      status: 'FAILED',
      error: { message: 'The workflow was terminated: stuck on a bad deploy' },
      nodeError: { message: 'The workflow was terminated: stuck on a bad deploy' },
    });
    expect(repairFor({ status: 'TERMINATED', reason: null })?.error).toEqual({
      message: 'The workflow was terminated: no reason given',
    });
    expect(repairFor({ status: 'TERMINATED', reason: '' })?.error?.message).toBe('The workflow was terminated: no reason given');
  });

  it('fails timed-out runs and runs whose workflow is gone', () => {
    expect(repairFor({ status: 'TIMED_OUT' })).toMatchObject({ status: 'FAILED', error: { message: 'The workflow timed out' } });
    expect(repairFor({ status: 'NOT_FOUND' })).toMatchObject({
      status: 'FAILED',
      error: { message: 'The workflow no longer exists in Temporal' },
      nodeError: { message: 'The workflow no longer exists in Temporal' },
    });
  });

  it('cancels a cancelled run with no run error and the interpreter’s node error', () => {
    const repair = repairFor({ status: 'CANCELLED' });
    expect(repair).toEqual({ status: 'CANCELLED', nodeError: { message: 'cancelled before it finished', type: 'Cancelled' } });
  });

  it('fails a failed run with the error dagWorkflow attached to its failure, else the failure message', () => {
    const withInfo = ApplicationFailure.create({
      message: 'node "call" failed: HTTP 500',
      type: 'HttpStatusError',
      nonRetryable: true,
      details: [{ message: 'HTTP 500', type: 'HttpStatusError', nodeId: 'call' }],
    });
    expect(repairFor({ status: 'FAILED', failure: withInfo })?.error).toEqual({ message: 'HTTP 500', type: 'HttpStatusError', nodeId: 'call' });
    const bare = ApplicationFailure.create({ message: 'workflow code threw', details: ['not an error info'] });
    expect(repairFor({ status: 'FAILED', failure: bare })?.error).toEqual({ message: 'workflow code threw' });
    expect(repairFor({ status: 'FAILED', failure: new TimeoutFailure('took too long', undefined, 'START_TO_CLOSE') })?.error).toEqual({
      message: 'took too long',
    });
    expect(repairFor({ status: 'FAILED', failure: undefined })?.error).toEqual({ message: 'The workflow failed' });
  });

  it('succeeds a completed run with the workflow output, and leaves results of another shape alone', () => {
    expect(repairFor({ status: 'COMPLETED', result: { output: { shipped: 3 } } })).toMatchObject({
      status: 'SUCCEEDED',
      output: { shipped: 3 },
    });
    expect(repairFor({ status: 'COMPLETED', result: {} })?.output).toBeNull();
    expect(repairFor({ status: 'COMPLETED', result: { output: null } })?.error).toBeUndefined();
    for (const result of [undefined, null, 'done', 42, ['output']]) {
      expect(repairFor({ status: 'COMPLETED', result })).toBeNull();
    }
  });
});

describe('repairEvents', () => {
  it('fails the abandoned nodes, then ends the run, in the worker’s data shapes', () => {
    const repair = repairFor({ status: 'TERMINATED', reason: 'operator' });
    expect(repair).not.toBeNull();
    expect(repairEvents(repair!, [{ nodeId: 'wait', attempts: 1 }, { nodeId: 'fetch', attempts: 2 }])).toEqual([
      { type: 'node.failed', nodeId: 'wait', data: { status: 'FAILED', attempts: 1, error: 'The workflow was terminated: operator' } },
      { type: 'node.failed', nodeId: 'fetch', data: { status: 'FAILED', attempts: 2, error: 'The workflow was terminated: operator' } },
      { type: 'run.failed', data: { status: 'FAILED', error: 'The workflow was terminated: operator' } },
    ]);
  });

  it('names the failed node of a failed run, and ends cancelled and succeeded runs without an error', () => {
    const failed = repairFor({
      status: 'FAILED',
      failure: ApplicationFailure.create({ message: 'x', details: [{ message: 'boom', nodeId: 'call' }] }),
    });
    expect(repairEvents(failed!, []).at(-1)).toEqual({ type: 'run.failed', data: { status: 'FAILED', error: 'boom', failedNodeId: 'call' } });
    expect(repairEvents(repairFor({ status: 'CANCELLED' })!, [{ nodeId: 'wait', attempts: 0 }])).toEqual([
      { type: 'node.failed', nodeId: 'wait', data: { status: 'FAILED', attempts: 0, error: 'cancelled before it finished', errorType: 'Cancelled' } },
      { type: 'run.cancelled', data: { status: 'CANCELLED' } },
    ]);
    expect(repairEvents(repairFor({ status: 'COMPLETED', result: { output: 1 } })!, [])).toEqual([
      { type: 'run.succeeded', data: { status: 'SUCCEEDED' } },
    ]);
  });
});

describe('isTemporalUnreachable', () => {
  /** The shape of a gRPC error from `@grpc/grpc-js`. */
  function grpcError(code: number): Error {
    return Object.assign(new Error(`grpc ${code}`), { code, details: `grpc ${code}`, metadata: {} });
  }

  it('is true for a deadline or an unavailable server, wrapped or not, and false otherwise', () => {
    expect(isTemporalUnreachable(new ServiceError('Failed to describe workflow', { cause: grpcError(4) }))).toBe(true);
    expect(isTemporalUnreachable(new ServiceError('Failed to describe workflow', { cause: grpcError(14) }))).toBe(true);
    expect(isTemporalUnreachable(grpcError(14))).toBe(true);
    expect(isTemporalUnreachable(new ServiceError('Failed to describe workflow', { cause: grpcError(3) }))).toBe(false);
    expect(isTemporalUnreachable(new Error('claim-checked payload missing'))).toBe(false);
    expect(isTemporalUnreachable(undefined)).toBe(false);
  });
});
