/** Turns a `code` node's source (a function body) into the program the sandbox evaluates. */

/** File name of the program in QuickJS stack traces; rewritten to `line L:C` before users see it. */
export const SOURCE_FILE_NAME = 'source.js';

/**
 * Everything before the user's first character, on line 1, so that the source's line numbers are the
 * program's. The function is async so that the body may `await`; `input` and `nodes` are constants.
 */
const PREFIX = '(async function (data) { const { input, nodes } = data; ';
/** On its own line, so that a trailing `// comment` in the source cannot swallow it. */
const SUFFIX = '\n})';

/** The wrapped program: evaluating it yields the function to call with `{ input, nodes }`. */
export function wrapSource(source: string): string {
  return `${PREFIX}${source}${SUFFIX}`;
}

/**
 * Maps a position in the program to the user's source: lines are the same; columns of line 1 are
 * shifted by the prefix. Both are 1-based, as QuickJS reports them.
 */
export function sourcePosition(line: number, column: number): { line: number; column: number } {
  if (line !== 1 || column <= PREFIX.length) return { line, column };
  return { line, column: column - PREFIX.length };
}

const STACK_POSITION = new RegExp(`${SOURCE_FILE_NAME.replaceAll('.', '\\.')}:(\\d+):(\\d+)`, 'g');

/** Rewrites `source.js:L:C` in a QuickJS stack to `line L:C` of the user's source. */
export function rewriteStack(stack: string): string {
  return stack.replace(STACK_POSITION, (_match, line: string, column: string) => {
    const position = sourcePosition(Number(line), Number(column));
    return `line ${position.line}:${position.column}`;
  });
}
