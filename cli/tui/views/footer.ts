// The bottom line: views (current one marked), sort, filter, span, and the main keys. Pure.
import { VIEWS, SORT_LABEL, type UiState } from '../view-model/ui-state.js';
import { c } from '../theme.js';
import { dim, styled } from '../text/style.js';

const VIEW_LABEL = { cpus: 'CPUs', histogram: 'histogram', timeline: 'timeline', probes: 'probes' } as const;

export function footerLine(ui: UiState, color: boolean, width: number): string {
  const narrow = width < 90;
  const views = VIEWS.map((v) => (v === ui.view ? styled(` ${VIEW_LABEL[v]} `, { inverse: true, color: c(color, 'cyan') }) : ` ${VIEW_LABEL[v]} `)).join('');
  return views + dim(` sort:${SORT_LABEL[ui.sort]}${ui.busyOnly ? ' busy' : ''} ${ui.span === 'now' ? 'last' : 'run'}`
    + (narrow ? '  ? help q quit' : '  s sort b busy a span p pause ? help q quit'));
}
