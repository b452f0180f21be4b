/**
 * Minimal HTML pages for decision links opened in a browser (from an email or a chat message). Every
 * value is HTML-escaped; the pages load nothing and run no script (see {@link HTML_SECURITY_HEADERS}).
 */
import type { DecisionView } from './decision-view.js';

/** Headers of the HTML pages: no scripts or outside resources, forms only to this origin. */
export const HTML_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  'pre{background:#f4f4f4;padding:.5rem;overflow:auto}textarea{width:100%}button{margin-right:.5rem;padding:.4rem 1rem}';

/**
 * The approval with approve/reject buttons while it can be decided (posting to `action`, the link's own
 * path and query), or its outcome once it cannot.
 */
export function renderDecisionPage(view: DecisionView, action: string): string {
  const facts = [
    `<p><strong>${escapeHtml(view.message)}</strong></p>`,
    `<p>Requested ${escapeHtml(view.requestedAt)}${view.dueAt ? `, due ${escapeHtml(view.dueAt)}` : ''}` +
      `${view.assignees.length > 0 ? `, for ${escapeHtml(view.assignees.join(', '))}` : ''}.</p>`,
    view.details == null ? '' : `<pre>${escapeHtml(JSON.stringify(view.details, null, 2))}</pre>`,
  ].join('');
  if (view.closedReason !== null) {
    return page('Approval', `${facts}<p>This approval can no longer be decided: ${escapeHtml(view.closedReason)}.</p>`);
  }
  const formFields =
    view.form == null
      ? ''
      : `<p><label>Values (JSON matching this schema)<br><textarea name="values" rows="6">{}</textarea></label></p>` +
        `<pre>${escapeHtml(JSON.stringify(view.form, null, 2))}</pre>`;
  const form =
    `<form method="post" action="${escapeHtml(action)}">` +
    `<p><label>Comment<br><textarea name="comment" rows="3"></textarea></label></p>${formFields}` +
    '<button type="submit" name="approve" value="true">Approve</button>' +
    '<button type="submit" name="approve" value="false">Reject</button></form>';
  return page('Approval', facts + form);
}

/** A page that only says `message` (a decision's outcome, or why the link was refused). */
export function renderMessagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}
