// The key help (`?`).
import { Box, Text } from 'ink';
import { KEY_HELP } from './view-model/ui-state.js';
import { fit } from './view-model/format.js';

export function HelpOverlay({ color }: { color: boolean }) {
  return (
    <Box flexDirection="column" borderStyle={color ? 'round' : 'classic'} paddingX={1}>
      <Text bold>keys</Text>
      {KEY_HELP.map(([k, d]) => (
        <Text key={k} wrap="truncate"><Text bold>{fit(k, 16, 'left')}</Text>{d}</Text>
      ))}
      <Text dimColor>null metrics (not measurable on this kernel) show as '-'; probes view says why</Text>
    </Box>
  );
}
