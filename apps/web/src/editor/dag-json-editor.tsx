import { json, jsonLanguage, jsonParseLinter } from '@codemirror/lang-json';
import { linter } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { handleRefresh, jsonCompletion, jsonSchemaLinter, stateExtensions, updateSchema } from 'codemirror-json-schema';
import { memo, useEffect, useRef } from 'react';

/**
 * JSON with schema lint and completion; the library's bundled set would add hover docs, which pull in a
 * syntax highlighter several times the size of the editor.
 */
const SCHEMA_AWARE_JSON: Extension = [
  json(),
  linter(jsonParseLinter()),
  linter(jsonSchemaLinter(), { needsRefresh: handleRefresh }),
  jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
  stateExtensions(),
];

/**
 * The DAG as JSON in CodeMirror 6, linted and completed from the DAG JSON Schema (`dagJsonSchema`) with
 * codemirror-json-schema: unknown fields, wrong types and each node type's config are marked as you type,
 * and completion offers field names and node types. `value` set from outside (a canvas edit) replaces the
 * text; typing reports the new text through `onChange`.
 */
export const DagJsonEditor = memo(function DagJsonEditor({
  value,
  schema,
  readOnly,
  onChange,
}: {
  value: string;
  schema: Record<string, unknown> | null;
  readOnly?: boolean;
  onChange: (text: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          SCHEMA_AWARE_JSON,
          EditorState.readOnly.of(Boolean(readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': 'DAG JSON' }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latestOnChange.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is created once; `value` and `schema` changes are dispatched below.
  }, [readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    if (view.current && schema) updateSchema(view.current, schema as never);
  }, [schema]);

  return <div ref={host} className="json-editor-host" />;
});
