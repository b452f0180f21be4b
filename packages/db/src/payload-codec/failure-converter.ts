/**
 * The failure converter of every Trellis worker, workflow bundle and client, by path (`FAILURE_CONVERTER_PATH`):
 * failure messages and stack traces travel as an encoded attributes payload, so the payload codec encrypts them
 * like every other payload. Workflow-safe (imports only `@temporalio/common`).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
