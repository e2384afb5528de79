/** Chooses the page's panels and their order; the result lives in the view (and so in the URL). */
import type { ViewState } from '../../http/api-types.js';
import { html } from '../html.js';
import { movePanel, pagePanels, togglePanel, visiblePanels } from '../view-state.js';

export function PanelsMenu(props: { view: ViewState; onChange: (view: ViewState) => void }) {
  const { view, onChange } = props;
  const all = pagePanels[view.page];
  const shown = visiblePanels(view);
  const label = (id: string) => all.find((panel) => panel.id === id)?.label ?? id;
  const hidden = all.filter((panel) => !shown.includes(panel.id));
  return html`<details class="menu" data-testid="panels-menu">
    <summary>Panels</summary>
    <div class="menu-body">
      <ul class="panel-list">
        ${shown.map(
          (id, index) => html`<li key=${id} data-testid="panel-item" data-panel=${id}>
            <label><input type="checkbox" checked data-testid=${`panel-toggle-${id}`} onChange=${() => onChange(togglePanel(view, id, false))} /> ${label(id)}</label>
            <span class="move">
              <button type="button" title="Move up" data-testid=${`panel-up-${id}`} disabled=${index === 0} onClick=${() => onChange(movePanel(view, id, -1))}>↑</button>
              <button type="button" title="Move down" data-testid=${`panel-down-${id}`} disabled=${index === shown.length - 1} onClick=${() => onChange(movePanel(view, id, 1))}>↓</button>
            </span>
          </li>`,
        )}
        ${hidden.map(
          (panel) => html`<li key=${panel.id} class="hidden-panel" data-testid="panel-item" data-panel=${panel.id}>
            <label><input type="checkbox" data-testid=${`panel-toggle-${panel.id}`} onChange=${() => onChange(togglePanel(view, panel.id, true))} /> ${panel.label}</label>
          </li>`,
        )}
      </ul>
      ${view.panels ? html`<button type="button" data-testid="panels-reset" onClick=${() => onChange({ ...view, panels: undefined })}>Default panels</button>` : null}
    </div>
  </details>`;
}
