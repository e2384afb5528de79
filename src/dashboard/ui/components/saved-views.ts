/** Saved views: save the current view under a name, open or delete a saved one (kept by the server, /api/views). */
import { useState } from 'preact/hooks';

import type { SavedViewsData, ViewState } from '../../http/api-types.js';
import { ApiFailure, type DataSource } from '../data-source.js';
import { formatTime } from '../format.js';
import { html } from '../html.js';
import { useData } from '../use-data.js';
import { pageTitles } from '../view-state.js';
import { Failure } from './panel.js';

/** The names the server accepts (src/dashboard/http/saved-views.ts), checked here to say so before saving. */
const viewNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

export function SavedViews(props: { source: DataSource; view: ViewState; revision: number; onOpen: (view: ViewState) => void }) {
  const { source } = props;
  const [localRevision, setLocalRevision] = useState(0);
  const views = useData<SavedViewsData>(source, '/api/views', undefined, props.revision + localRevision);
  const [name, setName] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  /** Runs a change; true when it succeeded. A failure is shown and leaves the form as it was, to retry. */
  const act = (promise: Promise<unknown>): Promise<boolean> =>
    promise.then(
      () => {
        setFailure(null);
        setLocalRevision((n) => n + 1);
        return true;
      },
      (error: unknown) => {
        setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'KS_NETWORK', String(error)));
        return false;
      },
    );
  const save = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!viewNamePattern.test(trimmed)) return;
    void act(source.send('PUT', `/api/views/${encodeURIComponent(trimmed)}`, props.view)).then((saved) => {
      if (saved) setName('');
    });
  };

  return html`<details class="menu" data-testid="views-menu">
    <summary>Views</summary>
    <div class="menu-body">
      <form class="save-view" onSubmit=${save}>
        <input type="text" placeholder="Name this view" maxlength="64" data-testid="view-name" value=${name} onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" data-testid="view-save" disabled=${!viewNamePattern.test(name.trim())}>Save</button>
      </form>
      ${name.trim() && !viewNamePattern.test(name.trim()) ? html`<p class="muted" data-testid="view-name-hint">Letters, digits, space, . _ - only, starting with a letter or digit (at most 64).</p>` : null}
      ${failure ? html`<${Failure} error=${failure} />` : null}
      ${views.error && !views.data ? html`<${Failure} error=${views.error} />` : null}
      ${views.data && views.data.views.length === 0 ? html`<p class="muted">No saved views yet.</p>` : null}
      <ul class="view-list">
        ${(views.data?.views ?? []).map(
          (saved) => html`<li key=${saved.name} data-testid="saved-view" data-name=${saved.name}>
            <button type="button" class="link" data-testid="view-open" onClick=${() => props.onOpen(saved.state)} title=${`saved ${formatTime(saved.savedAt)}`}>
              ${saved.name}
            </button>
            <span class="muted">${pageTitles[saved.state.page] ?? saved.state.page} · ${saved.state.range}</span>
            <button type="button" class="danger" data-testid="view-delete" title="Delete" onClick=${() => void act(source.send('DELETE', `/api/views/${encodeURIComponent(saved.name)}`))}>✕</button>
          </li>`,
        )}
      </ul>
    </div>
  </details>`;
}
