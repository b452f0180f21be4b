/**
 * Type-level guarantees of the node-type modules: compiles the fixtures in `type-level/` with the
 * package's own compiler options and checks which errors the compiler reports.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const fixtures = ['complete-node-type.ts', 'incomplete-node-type.ts'];

/** Diagnostics of each fixture, as `line: message` (1-based lines), from one program holding both. */
function compileFixtures(): Record<string, string[]> {
  const files = fixtures.map((fixture) => fileURLToPath(new URL(`./type-level/${fixture}`, import.meta.url)));
  const config = ts.getParsedCommandLineOfConfigFile(`${packageDir}/tsconfig.json`, { noEmit: true, composite: false, declaration: false }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram(files, { ...config.options, rootDir: packageDir });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return Object.fromEntries(
    fixtures.map((fixture, index) => [
      fixture,
      diagnostics
        .filter((diagnostic) => diagnostic.file?.fileName === files[index])
        .map((diagnostic) => {
          const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!);
          return `${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
        }),
    ]),
  );
}

describe('a workflow node type compiles only when its module is complete', () => {
  let diagnostics: Record<string, string[]>;
  beforeAll(() => {
    diagnostics = compileFixtures();
  }, 60_000);

  it('accepts a complete definition with a performer', () => {
    expect(diagnostics['complete-node-type.ts']).toEqual([]);
  });

  it('rejects a definition missing fields, and a performer table missing the new type', () => {
    const found = diagnostics['incomplete-node-type.ts'];
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^13: .*missing the following properties .*description, unrenderedFields, notInLoopBody/);
    expect(found[1]).toMatch(/^27: Property 'wait' is missing/);
  });
});
