// @ts-check
/** `npm start`: the stack without the demo. */
import { log, serveUntilSignal, startStack } from './stack.js';

const stack = await startStack();
log(`GraphQL API   ${stack.graphqlUrl}`);
log(`API key       ${stack.apiKey} (OWNER; send it as "authorization: Bearer <key>")`);
if (stack.temporalUiUrl) log(`Temporal UI   ${stack.temporalUiUrl}`);
log('serving; press Ctrl-C to stop');
serveUntilSignal(stack);
