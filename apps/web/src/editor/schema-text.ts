/**
 * Stands in for codemirror-json-schema's Markdown renderer (see `vite.config.ts`): schema descriptions
 * and error messages are shown as escaped text with `code` spans, instead of through a Markdown renderer
 * and syntax highlighter that would triple the dashboard's size.
 *
 * @returns HTML: the text escaped, backtick spans as `<code>`.
 */
export function renderMarkdown(markdown: string): string {
  const escaped = markdown.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
  return escaped.replace(/`([^`]+)`/g, '<code>$1</code>');
}
