/**
 * Type-level guarantees of the node-type modules: compiles the fixtures in `type-level/` with the
 * package's own compiler options and checks which errors the compiler reports.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Diagnostics of compiling one fixture, as `line: message` (line of the fixture, 1-based). */
function diagnosticsOf(fixture: string): string[] {
  const file = fileURLToPath(new URL(`./type-level/${fixture}`, import.meta.url));
  const config = ts.getParsedCommandLineOfConfigFile(`${packageDir}/tsconfig.json`, { noEmit: true, composite: false, declaration: false }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const options = { ...config.options, rootDir: packageDir };
  const program = ts.createProgram([file], options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file?.fileName === file)
    .map((diagnostic) => {
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start!);
      return `${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
}

describe('a workflow node type compiles only when its module is complete', () => {
  it('accepts a complete definition with a performer', () => {
    expect(diagnosticsOf('complete-node-type.ts')).toEqual([]);
  }, 60_000);

  it('rejects a definition missing fields, and a performer table missing the new type', () => {
    const diagnostics = diagnosticsOf('incomplete-node-type.ts');
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatch(/^13: .*missing the following properties .*description, unrenderedFields, notInLoopBody/);
    expect(diagnostics[1]).toMatch(/^27: Property 'wait' is missing/);
  }, 60_000);
});
