import Form from '@rjsf/core';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { useEffect, useState } from 'react';
import type { DagNodeDoc } from './dag-edits';
import { IssueList } from './issue-list';
import { type DagIssue, formErrorsOf, issuesUnder } from './issue-errors';
import { formSchemaOf, type NodeTypeInfo } from './node-types';

// The form edits the DAG as it changes; there is nothing to submit.
const CONFIG_UI: UiSchema = { 'ui:submitButtonOptions': { norender: true } };

/**
 * The picked node's panel: its config as a form generated from its type's config schema, and its error
 * handling (`onError`, `retry`, `timeout`, `compensate`). Every change goes straight into the DAG; the
 * last validation's issues show on the field their path names.
 */
export function NodeInspector({
  node,
  index,
  entry,
  issues,
  readOnly,
  onChange,
  onRemove,
}: {
  node: DagNodeDoc;
  /** The node's index in `nodes`, which issue paths use. */
  index: number;
  entry: NodeTypeInfo | undefined;
  issues: readonly DagIssue[];
  readOnly: boolean;
  onChange: (change: (node: DagNodeDoc) => DagNodeDoc) => void;
  onRemove: () => void;
}) {
  const prefix = `nodes[${index}]`;
  const own = issuesUnder(issues, prefix).filter((issue) => !issue.path.startsWith(`${prefix}.config`));
  return (
    <aside aria-label={`Node ${node.id}`} className="inspector">
      <header className="section-header">
        <h2>
          {node.id} <span className="dag-node-type">{node.type}</span>
        </h2>
        {!readOnly && (
          <button type="button" className="danger" onClick={onRemove}>
            Remove node
          </button>
        )}
      </header>
      {entry ? <p className="hint">{entry.description}</p> : <p role="alert" className="error">Unknown node type "{node.type}"</p>}
      <TextField label="Name" value={node.name ?? ''} disabled={readOnly} onChange={(name) => onChange((current) => ({ ...current, name: name || undefined }))} />
      {entry && (
        <fieldset className="config-form">
          <legend>Config</legend>
          <Form
            schema={formSchemaOf(entry) as RJSFSchema}
            uiSchema={CONFIG_UI}
            validator={validator}
            formData={node.config ?? {}}
            disabled={readOnly}
            extraErrors={formErrorsOf(issues, `${prefix}.config`)}
            showErrorList={false}
            noHtml5Validate
            onChange={({ formData }) => onChange((current) => ({ ...current, config: (formData as Record<string, unknown>) ?? {} }))}
          />
        </fieldset>
      )}
      <fieldset>
        <legend>On failure</legend>
        <label>
          When it fails
          <select
            value={node.onError ?? 'fail'}
            disabled={readOnly}
            onChange={(event) => {
              const mode = event.target.value as DagNodeDoc['onError'];
              onChange((current) => ({ ...current, onError: mode === 'fail' ? undefined : mode }));
            }}
          >
            <option value="fail">fail the run</option>
            <option value="continue">continue with null</option>
            <option value="route">take its error edges</option>
          </select>
        </label>
        <TextField label="Timeout" placeholder="5m" value={node.timeout ?? ''} disabled={readOnly} onChange={(timeout) => onChange((current) => ({ ...current, timeout: timeout || undefined }))} />
        <RetryFields retry={node.retry} disabled={readOnly} onChange={(retry) => onChange((current) => ({ ...current, retry }))} />
        <JsonField
          label="Compensate (JSON)"
          value={node.compensate}
          disabled={readOnly}
          onChange={(compensate) => onChange((current) => ({ ...current, compensate: compensate as DagNodeDoc['compensate'] }))}
        />
      </fieldset>
      <IssueList label="Node issues" issues={own} />
    </aside>
  );
}

/** `retry.maximumAttempts`, `initialInterval` and `backoffCoefficient`; all empty removes `retry`. */
function RetryFields({ retry, disabled, onChange }: { retry: DagNodeDoc['retry']; disabled: boolean; onChange: (retry: DagNodeDoc['retry']) => void }) {
  const set = (field: string, value: unknown) => {
    const next = Object.fromEntries(Object.entries({ ...retry, [field]: value }).filter(([, kept]) => kept !== undefined));
    onChange(Object.keys(next).length > 0 ? next : undefined);
  };
  const number = (text: string) => (text === '' || Number.isNaN(Number(text)) ? undefined : Number(text));
  return (
    <div className="field-row">
      <TextField label="Attempts" type="number" value={String(retry?.maximumAttempts ?? '')} disabled={disabled} onChange={(text) => set('maximumAttempts', number(text))} />
      <TextField label="First retry after" placeholder="1s" value={String(retry?.initialInterval ?? '')} disabled={disabled} onChange={(text) => set('initialInterval', text || undefined)} />
      <TextField label="Backoff" type="number" value={String(retry?.backoffCoefficient ?? '')} disabled={disabled} onChange={(text) => set('backoffCoefficient', number(text))} />
    </div>
  );
}

function TextField({
  label,
  value,
  onChange,
  disabled,
  placeholder,
  type = 'text',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  placeholder?: string;
  type?: string;
}) {
  return (
    <label>
      {label}
      <input type={type} value={value} placeholder={placeholder} disabled={disabled} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

/** A JSON object field, applied when the text parses (empty removes it). */
function JsonField({ label, value, disabled, onChange }: { label: string; value: unknown; disabled: boolean; onChange: (value: unknown) => void }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(value === undefined ? '' : JSON.stringify(value, null, 2)), [value]);
  return (
    <label>
      {label}
      <textarea
        rows={3}
        spellCheck={false}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => {
          if (text.trim() === '') return onChange(undefined);
          try {
            onChange(JSON.parse(text));
            setError(null);
          } catch (parseError) {
            setError((parseError as Error).message);
          }
        }}
      />
      {error && <span role="alert" className="error">{error}</span>}
    </label>
  );
}
