import { type ResolvedRetryPolicy, retryDelayMs } from '@trellis/dag-interpreter/retry-policy';
import { useEffect, useState } from 'react';

/** One attempt of a node, as `NodeRun.attemptHistory` reports it. */
export interface Attempt {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** A node's row of the timeline. */
export interface TimelineNode {
  nodeId: string;
  status: string;
  attemptHistory: Attempt[];
}

/**
 * When the next attempt of a retrying node starts (ms since the epoch): its last attempt failed and
 * the node still runs. Null otherwise, or when no attempt is left.
 */
export function nextAttemptAt(node: TimelineNode, policy: ResolvedRetryPolicy | undefined): number | null {
  const last = node.attemptHistory.at(-1);
  if (!policy || node.status !== 'RUNNING' || !last?.error || !last.finishedAt) return null;
  const delay = retryDelayMs(policy, last.attempt);
  return delay === null ? null : Date.parse(last.finishedAt) + delay;
}

/** The current time, ticking every second while `active`. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/**
 * A Gantt chart of the run: one row per node, one bar per attempt (red when it failed, blue while it runs,
 * green when it succeeded), placed on one time axis from the run's start, so the gaps between bars are the
 * retry backoff. Each bar's title gives its times and error.
 */
export function RunTimeline({
  runStartedAt,
  runFinishedAt,
  nodes,
  policies,
}: {
  runStartedAt: string;
  runFinishedAt: string | null;
  nodes: TimelineNode[];
  /** Each node's retry policy (by node id), for the countdown to its next attempt. */
  policies?: Map<string, ResolvedRetryPolicy>;
}) {
  const upcoming = new Map(nodes.map((node) => [node.nodeId, nextAttemptAt(node, policies?.get(node.nodeId))]));
  const now = useNow([...upcoming.values()].some((at) => at !== null));
  const start = Date.parse(runStartedAt);
  const ends = nodes.flatMap((node) => node.attemptHistory.map((attempt) => (attempt.finishedAt ? Date.parse(attempt.finishedAt) : Date.now())));
  const end = Math.max(runFinishedAt ? Date.parse(runFinishedAt) : Date.now(), ...ends, start + 1);
  const span = end - start;
  const at = (time: number) => `${(((time - start) / span) * 100).toFixed(2)}%`;
  const width = (from: number, to: number) => `${Math.max(0.5, ((to - from) / span) * 100).toFixed(2)}%`;
  return (
    <div className="timeline" aria-label="Timeline">
      {nodes.map((node) => (
        <div className="timeline-row" key={node.nodeId} data-node-id={node.nodeId}>
          <span className="timeline-label">{node.nodeId}</span>
          <div className="timeline-track">
            {node.attemptHistory.map((attempt) => {
              const from = Date.parse(attempt.startedAt);
              const to = attempt.finishedAt ? Date.parse(attempt.finishedAt) : Date.now();
              const outcome = attempt.error ? 'failed' : attempt.finishedAt ? 'succeeded' : 'running';
              return (
                <span
                  key={attempt.attempt}
                  className={`timeline-bar timeline-${outcome}`}
                  data-attempt={attempt.attempt}
                  data-outcome={outcome}
                  style={{ left: at(from), width: width(from, to) }}
                  title={`Attempt ${attempt.attempt}: ${((to - from) / 1000).toFixed(2)} s${attempt.error ? ` — ${attempt.error}` : ''}`}
                />
              );
            })}
          </div>
          <span className="timeline-error">
            {upcoming.get(node.nodeId) != null && (
              <span className="timeline-countdown" data-countdown={node.nodeId}>
                next attempt in {Math.max(0, Math.ceil((upcoming.get(node.nodeId)! - now) / 1000))} s ·{' '}
              </span>
            )}
            {node.attemptHistory.at(-1)?.error ?? ''}
          </span>
        </div>
      ))}
      <div className="timeline-axis">
        <span>0 s</span>
        <span>{(span / 1000).toFixed(1)} s</span>
      </div>
    </div>
  );
}
