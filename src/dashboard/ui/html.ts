/** htm bound to Preact's `h`: tagged templates instead of JSX, so the app needs no JSX transform. */
import htm from 'htm';
import { h, type VNode } from 'preact';

export const html = htm.bind(h) as (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
