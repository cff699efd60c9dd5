// The key help (`?`): a bordered box (round with colour, ASCII without).
import { Box, Text } from 'ink';
import { fit } from '../view-model/format.js';

export function HelpView({ keys, color }: { keys: readonly (readonly [string, string])[]; color: boolean }) {
  return (
    <Box flexDirection="column" borderStyle={color ? 'round' : 'classic'} paddingX={1} flexShrink={0}>
      <Text bold>keys</Text>
      {keys.map(([k, d]) => <Text key={k} wrap="truncate"><Text bold>{fit(k, 16, 'left')}</Text>{d}</Text>)}
      <Text dimColor wrap="truncate">null metrics (not measurable on this kernel) show as &apos;-&apos;; probes view says why</Text>
    </Box>
  );
}
