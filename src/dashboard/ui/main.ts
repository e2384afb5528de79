/**
 * Entry of the dashboard bundle. The same file runs served by the dashboard (/assets/app.js) and inlined into
 * an exported report, where it may run before the body is parsed; so it waits for the DOM, then renders the
 * snapshot when the file carries one, else the live app.
 */
import 'uplot/dist/uPlot.min.css';
import './styles.css';

import { render } from 'preact';

import { LiveApp, SnapshotApp } from './app.js';
import { apiSource, readSnapshot, snapshotSource } from './data-source.js';
import { html } from './html.js';

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const snapshot = readSnapshot(document);
  if (snapshot) render(html`<${SnapshotApp} source=${snapshotSource(snapshot)} />`, root);
  else render(html`<${LiveApp} source=${apiSource()} />`, root);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
