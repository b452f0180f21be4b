/** Performs `delay` nodes. Workflow code. */
import { sleep } from '@temporalio/workflow';
import { parseDuration } from '../../duration.js';
import { renderedConfigOf, type NodeTypePerformer } from '../../workflow/type-performer.js';
import { delayNodeType } from './index.js';

/** Sleeps on a workflow timer; outputs `{ waitedMs }` (milliseconds). */
export const performDelay: NodeTypePerformer = async (_env, node, scope) => {
  const config = await renderedConfigOf(delayNodeType, node, scope);
  const waitedMs = parseDuration(config.duration);
  await sleep(waitedMs);
  return { output: { waitedMs }, attempts: 1 };
};
