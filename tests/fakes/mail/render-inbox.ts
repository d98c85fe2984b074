import type { CaughtMail } from './parse-mail.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const linkify = (html: string) => html.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

/** The catcher's web page: newest mail first, links clickable. Refreshes itself every 5 s. */
export function renderInbox(mails: readonly CaughtMail[]): string {
  const items = mails.map((m) => `<article><h2>${escape(m.subject)}</h2>
    <p class="meta">To ${escape(m.to.join(', '))} · from ${escape(m.from)} · ${escape(m.at)}</p>
    <pre>${linkify(escape(m.text))}</pre></article>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Mail catcher · Switchboard dev</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}article{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}
.meta{color:#555;font-size:.875rem}pre{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>
<body><h1>Mail catcher</h1><p>Every e-mail the local Switchboard sends lands here; nothing leaves this machine.</p>
${items.length > 0 ? items.join('\n') : '<p><em>No mail yet.</em></p>'}</body></html>`;
}
