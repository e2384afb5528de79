/** Comparison formats, keyed by the names `--format` accepts. */
import type { RunComparison } from '../types.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text.js';

export type ComparisonFormat = 'text' | 'md' | 'json';

function json(comparison: RunComparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

export const comparisonFormats: Record<ComparisonFormat, (comparison: RunComparison, options: { color: boolean }) => string> = {
  text: (comparison, options) => formatText(comparison, options),
  md: (comparison) => formatMarkdown(comparison),
  json: (comparison) => json(comparison),
};

export { formatMarkdown, formatText };
// The row formatter the report uses and the dashboard can (one wording of a comparison everywhere).
export {
  caseLabel,
  caseLabels,
  type CaseMeasure,
  caseMeasures,
  type ComparisonCells,
  comparisonCells,
  comparisonLegend,
  formatChange,
  formatInterval,
  type RatioLike,
  type SampleFigures,
  verdictDetail,
} from './cells.js';
