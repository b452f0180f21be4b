import { pino } from 'pino';

/** JSON logs on stdout; level from LOG_LEVEL (default info). */
export const logger = pino({ name: 'trellis-worker', level: process.env.LOG_LEVEL ?? 'info' });
