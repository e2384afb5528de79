/** Time range (relative or custom from/to) and the four filters; options come from /api/filters. */
import { useEffect, useState } from 'preact/hooks';

import type { FilterOptionsData, ViewState } from '../../http/api-types.js';
import { formatTime, toLocalInput } from '../format.js';
import { html } from '../html.js';
import type { Loaded } from '../use-data.js';
import { isValidRange, relativeRanges } from '../view-state.js';

interface FilterOption {
  value: string;
  label: string;
}

const plain = (values: readonly string[]): FilterOption[] => values.map((value) => ({ value, label: value }));

/** "generateKeyPair (API)", "keygen (command)": one entry per operation, whatever its events call it. */
const operationOptions = (operations: FilterOptionsData['operations']): FilterOption[] =>
  operations.map((operation) => ({ value: operation.name, label: `${operation.name} (${operation.kind === 'api' ? 'API' : 'command'})` }));

function FilterSelect(props: { name: string; label: string; value: string | undefined; options: FilterOption[]; onChange: (value: string | undefined) => void }) {
  // The current value stays selectable even when the range no longer has data for it.
  const options = props.value && !props.options.some((option) => option.value === props.value) ? [{ value: props.value, label: props.value }, ...props.options] : props.options;
  return html`<label class="field">
    <span>${props.label}</span>
    <select data-testid=${`filter-${props.name}`} value=${props.value ?? ''} onChange=${(event: Event) => props.onChange((event.currentTarget as HTMLSelectElement).value || undefined)}>
      <option value="">All</option>
      ${options.map((option) => html`<option key=${option.value} value=${option.value}>${option.label}</option>`)}
    </select>
  </label>`;
}

function CustomRange(props: { range: string; onApply: (range: string) => void }) {
  const [from, to] = props.range.includes('..') ? props.range.split('..').map((part) => new Date(part)) : [new Date(Date.now() - 86_400_000), new Date()];
  const [fromText, setFrom] = useState(toLocalInput(from!));
  const [toText, setTo] = useState(toLocalInput(to!));
  // An unfinished date in an input is an Invalid Date, whose toISOString throws.
  let candidate: string | null = null;
  try {
    const range = `${new Date(fromText).toISOString()}..${new Date(toText).toISOString()}`;
    if (isValidRange(range)) candidate = range;
  } catch {
    candidate = null;
  }
  return html`<span class="custom-range">
    <input type="datetime-local" data-testid="range-from" value=${fromText} onInput=${(e: Event) => setFrom((e.currentTarget as HTMLInputElement).value)} />
    <span>to</span>
    <input type="datetime-local" data-testid="range-to" value=${toText} onInput=${(e: Event) => setTo((e.currentTarget as HTMLInputElement).value)} />
    <button type="button" data-testid="range-apply" disabled=${candidate === null} onClick=${() => candidate && props.onApply(candidate)}>Apply</button>
  </span>`;
}

export function Toolbar(props: { view: ViewState; filters: Loaded<FilterOptionsData>; onChange: (view: ViewState) => void }) {
  const { view } = props;
  const isCustom = !(relativeRanges as readonly string[]).includes(view.range);
  const [customOpen, setCustomOpen] = useState(isCustom);
  // Back/forward or a saved view can switch between relative and custom ranges under the open editor.
  useEffect(() => setCustomOpen(isCustom), [view.range]);
  const options = props.filters.data ?? { algorithms: [], implementations: [], operations: [] };
  const set = (patch: Partial<ViewState>) => {
    const next: ViewState = { ...view, ...patch };
    for (const key of ['algorithm', 'implementation', 'operation', 'outcome'] as const) if (!next[key]) delete next[key];
    props.onChange(next);
  };
  return html`<div class="toolbar" data-testid="toolbar">
    <label class="field">
      <span>Range</span>
      <select data-testid="range" value=${customOpen ? 'custom' : view.range}
        onChange=${(event: Event) => {
          const value = (event.currentTarget as HTMLSelectElement).value;
          if (value === 'custom') setCustomOpen(true);
          else {
            setCustomOpen(false);
            set({ range: value });
          }
        }}>
        ${relativeRanges.map((range) => html`<option key=${range} value=${range}>Last ${range}</option>`)}
        <option value="custom">Custom…</option>
      </select>
    </label>
    ${customOpen ? html`<${CustomRange} range=${view.range} onApply=${(range: string) => set({ range })} />` : null}
    ${isCustom && !customOpen ? html`<span class="muted">${view.range.split('..').map((part) => formatTime(part)).join(' – ')}</span>` : null}
    <${FilterSelect} name="algorithm" label="Algorithm" value=${view.algorithm} options=${plain(options.algorithms)} onChange=${(algorithm?: string) => set({ algorithm })} />
    <${FilterSelect} name="implementation" label="Implementation" value=${view.implementation} options=${plain(options.implementations)} onChange=${(implementation?: string) => set({ implementation })} />
    <${FilterSelect} name="operation" label="Operation" value=${view.operation} options=${operationOptions(options.operations)} onChange=${(operation?: string) => set({ operation })} />
    <${FilterSelect} name="outcome" label="Outcome" value=${view.outcome} options=${plain(['ok', 'error'])} onChange=${(outcome?: string) => set({ outcome: outcome as ViewState['outcome'] })} />
  </div>`;
}
