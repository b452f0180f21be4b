import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';

/**
 * A form generated from a JSON Schema (run inputs, approval forms) with `@rjsf/core`, checked in the browser
 * with ajv before it is sent; the server checks again.
 */
export function SchemaForm({
  schema,
  submitLabel,
  disabled,
  onSubmit,
}: {
  schema: Record<string, unknown>;
  submitLabel: string;
  disabled?: boolean;
  onSubmit: (value: unknown) => void;
}) {
  return (
    <Form
      className="schema-form"
      schema={schema as RJSFSchema}
      validator={validator}
      disabled={disabled}
      showErrorList={false}
      // ajv checks against the schema and shows its message on the field; the browser's own checks would hide it.
      noHtml5Validate
      onSubmit={({ formData }) => onSubmit(formData ?? {})}
    >
      <button type="submit" disabled={disabled}>
        {submitLabel}
      </button>
    </Form>
  );
}
