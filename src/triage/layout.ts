// The page frame shared by every dashboard view: stylesheet and script from /assets (the CSP
// allows no inline code), the signed-in person and sign-out, and the one-off flash message.
import { html, type SafeHtml } from './html.js';
import type { TriageSession } from './triage-auth.js';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export function page(opts: { title: string; session?: TriageSession | null; flash?: Flash | null; body: SafeHtml }): SafeHtml {
  const { title, session, flash, body } = opts;
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Partnership Navigator triage</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/triage.css">
<script type="module" src="/assets/triage.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
  <a class="brand" href="/triage">Partnership Navigator · Triage</a>
  ${session ? signOutForm(session) : ''}
</header>
<main id="main">
${flash ? html`<div class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</div>` : ''}
${body}
</main>
</body>
</html>`;
}

function signOutForm(session: TriageSession): SafeHtml {
  return html`<form class="account" method="post" action="/triage/sign-out">
    <span>Signed in as <strong>${session.name}</strong></span>
    <input type="hidden" name="csrf" value="${session.csrf}">
    <button type="submit" class="link">Sign out</button>
  </form>`;
}

/** A hidden CSRF field for an action form. */
export function csrfField(session: TriageSession): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${session.csrf}">`;
}

export function signInPage(opts: { csrf: string; error?: string; next: string; name?: string }): SafeHtml {
  return page({
    title: 'Sign in',
    flash: opts.error ? { kind: 'error', text: opts.error } : null,
    body: html`<section class="card narrow">
  <h1>Sign in to the triage dashboard</h1>
  <form method="post" action="/triage/sign-in" class="stack">
    <input type="hidden" name="csrf" value="${opts.csrf}">
    <input type="hidden" name="next" value="${opts.next}">
    <label for="name">Your name <span class="hint">(recorded in the audit log)</span></label>
    <input id="name" name="name" autocomplete="name" maxlength="80" required value="${opts.name ?? ''}">
    <label for="token">Triage token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required>
    <button type="submit">Sign in</button>
  </form>
</section>`,
  });
}

/** A plain page for 403/404/503 answers. */
export function messagePage(title: string, text: string, session?: TriageSession | null): SafeHtml {
  return page({ title, session, body: html`<section class="card narrow"><h1>${title}</h1><p>${text}</p><p><a href="/triage">Back to the queue</a></p></section>` });
}
