export {
  RUN_EVENTS_CHANNEL,
  RUN_EVENT_TYPES,
  TERMINAL_RUN_EVENT_TYPES,
  parseRunEventNotification,
  type NewRunEvent,
  type RunEventNotification,
  type RunEventType,
} from './run-event-types.js';
export {
  lockRunForEvents,
  recordRunEvents,
  type LockedRun,
  type RecordedRunEvents,
  type RunEventsTransaction,
} from './record-run-events.js';
export {
  listenForRunEvents,
  type RunEventListener,
  type RunEventListenerOptions,
} from './run-event-listener.js';
export { approvalDecidedEvent } from './approval-decided-event.js';
