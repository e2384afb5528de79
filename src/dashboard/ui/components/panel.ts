/** The frame every panel shares: a titled section with a stable test id, and the empty and error states. */
import type { ComponentChildren } from 'preact';

import type { FilterName } from '../../http/api-types.js';
import type { ApiFailure } from '../data-source.js';
import { html } from '../html.js';

/** `unfiltered`: filters set in the view that this panel's numbers do not honour (components/filter-note.ts). */
export function Panel(props: { id: string; title: string; wide?: boolean; unfiltered?: readonly FilterName[]; children?: ComponentChildren }) {
  const unfiltered = props.unfiltered ?? [];
  return html`<section class=${props.wide ? 'panel wide' : 'panel'} data-testid=${`panel-${props.id}`}>
    <h2>${props.title}</h2>
    ${unfiltered.length > 0 ? html`<p class="filter-note muted" data-testid="panel-filter-note">not filtered by: ${unfiltered.join(', ')}</p>` : null}
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
