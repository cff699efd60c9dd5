// The bottom line: views (current one marked), sort, filter, span, and the main keys.
import { Text } from 'ink';
import { VIEWS, SORT_LABEL, type UiState } from '../view-model/ui-state.js';
import { c } from '../theme.js';

const VIEW_LABEL = { cpus: 'CPUs', histogram: 'histogram', timeline: 'timeline', probes: 'probes' } as const;

export function Footer({ ui, color, width, spanLabels = ['last', 'run'] }: { ui: UiState; color: boolean; width: number; spanLabels?: readonly [string, string] }) {
  const narrow = width < 90;
  return (
    <Text wrap="truncate">
      {VIEWS.map((v) => (v === ui.view ? <Text key={v} inverse color={c(color, 'cyan')}>{` ${VIEW_LABEL[v]} `}</Text> : ` ${VIEW_LABEL[v]} `))}
      <Text dimColor>
        {` sort:${SORT_LABEL[ui.sort]}${ui.busyOnly ? ' busy' : ''} ${ui.span === 'now' ? spanLabels[0] : spanLabels[1]}`}
        {narrow ? '  ? help q quit' : '  s sort b busy a span p pause ? help q quit'}
      </Text>
    </Text>
  );
}
