/** Where the sandbox thread's entry file is, next to this module. */

/**
 * The URL of `sandbox-thread.js` beside this module once compiled (`dist/code/`). When this module runs
 * from source (vitest loads the TypeScript files), it is `sandbox-thread.ts` instead: Node 24 strips its types
 * itself, which works because that file imports only packages and types.
 */
export function sandboxThreadUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./sandbox-thread.${extension}`, import.meta.url);
}
