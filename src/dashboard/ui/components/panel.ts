/** The frame every panel shares: a titled section with a stable test id, and the empty and error states. */
import type { ComponentChildren } from 'preact';

import type { ApiFailure } from '../data-source.js';
import { html } from '../html.js';

export function Panel(props: { id: string; title: string; wide?: boolean; children?: ComponentChildren }) {
  return html`<section class=${props.wide ? 'panel wide' : 'panel'} data-testid=${`panel-${props.id}`}>
    <h2>${props.title}</h2>
    ${props.children}
  </section>`;
}

export function Empty(props: { text?: string }) {
  return html`<p class="empty" data-testid="empty">${props.text ?? 'No data in this range.'}</p>`;
}

export function Failure(props: { error: ApiFailure }) {
  return html`<p class="failure" role="alert" data-testid="failure">${props.error.message} <code>${props.error.code}</code></p>`;
}

export function Loading() {
  return html`<p class="loading" data-testid="loading">Loading…</p>`;
}
