import type { Dispute, DisputeCreated } from '../../../shared';
import { escapeHtml } from './escape';

/*
 * /appeal: the public page where whoever runs a listed site, app or handle contests it. Plain HTML forms that
 * work without JavaScript, no remote resources, served under a CSP that allows inline styles and nothing else.
 */

/** Inline styles only (the CSP forbids everything else); readable at any zoom, usable with a keyboard. */
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
label{display:block;margin-top:1rem;font-weight:600}input,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
textarea{min-height:10rem}button{margin-top:1rem;font:inherit;padding:.5rem 1rem}.error{background:#fde8e8;padding:.5rem 1rem;border-radius:4px}
.token{font-family:monospace;background:#f2f2f2;padding:.5rem;word-break:break-all}dt{font-weight:600}`;

export const APPEAL_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}: Flagline</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

const errorBox = (message: string | undefined) => (message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '');

export interface AppealForm {
  target?: string;
  contact?: string;
  statement?: string;
}

export function renderAppealForm(form: AppealForm = {}, error?: string): string {
  return page(
    'Contest a listing',
    `<h1>Contest a listing</h1>
<p>Flagline is a shared blocklist of services that undress photos of real people. If you run a site, app or account that is listed and should not be, tell the reviewers why. Your appeal goes to the operator's reviewers, who read it and decide; the listing stands until they do. You get a token to follow your appeal, and the same answer whether or not what you name is on the list.</p>
${errorBox(error)}
<form method="post" action="/appeal">
<label for="target">What is listed (a web address, app link or id, merchant id, wallet or handle)</label>
<input id="target" name="target" required maxlength="2048" value="${escapeHtml(form.target ?? '')}">
<label for="contact">How reviewers reach you (an email address)</label>
<input id="contact" name="contact" required maxlength="200" autocomplete="email" value="${escapeHtml(form.contact ?? '')}">
<label for="statement">Why the listing is wrong (plain text, 20 to 4,000 characters)</label>
<textarea id="statement" name="statement" required minlength="20" maxlength="4000">${escapeHtml(form.statement ?? '')}</textarea>
<button type="submit">Send the dispute</button>
</form>
<p>Already sent one? <a href="/appeal/status">Read its status</a>. Nothing you send here is shown to the organizations that flagged the listing except through the reviewers' decision.</p>`,
  );
}

const describe = (d: Dispute) =>
  `<dl><dt>Listing</dt><dd>${escapeHtml(`${d.indicator.kind}:${d.indicator.value}`)}</dd>
<dt>Status</dt><dd>${d.outcome === 'open' ? 'Open: reviewers are deciding' : d.outcome === 'kept' ? 'Decided: the listing stays' : 'Decided: not on the list for any partner'}</dd>
<dt>Sent</dt><dd>${escapeHtml(d.createdAt)}</dd><dt>Reviewers decide by</dt><dd>${escapeHtml(d.deadline)}</dd>
${d.resolvedAt ? `<dt>Decided</dt><dd>${escapeHtml(d.resolvedAt)}</dd><dt>The reviewers' answer</dt><dd>${escapeHtml(d.resolution ?? '')}</dd>` : ''}</dl>`;

export function renderAppealSent({ dispute, token }: DisputeCreated): string {
  return page(
    'Dispute sent',
    `<h1>Dispute sent</h1>
<p>Keep this token: it is shown once, and it is the only way to read your dispute's status (at <a href="/appeal/status">/appeal/status</a>).</p>
<p class="token">${escapeHtml(token)}</p>${describe(dispute)}`,
  );
}

export function renderStatusForm(error?: string): string {
  return page(
    'Dispute status',
    `<h1>Dispute status</h1>${errorBox(error)}
<form method="post" action="/appeal/status"><label for="token">Your dispute token (fld_…)</label>
<input id="token" name="token" required autocomplete="off" spellcheck="false">
<button type="submit">Read the status</button></form>`,
  );
}

export const renderStatus = (dispute: Dispute) => page('Dispute status', `<h1>Dispute status</h1>${describe(dispute)}`);
