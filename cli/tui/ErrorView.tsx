// An error found at start (not root, bpftrace missing, probes unavailable): what is wrong and the next step.
import { Box, Text } from 'ink';
import { c } from './theme.js';

export interface ErrorViewProps { lines: readonly string[]; color: boolean }

/** lines as from describeError: the first says what is wrong, `  next: …` what to do, the rest context. */
export function ErrorView({ lines, color }: ErrorViewProps) {
  const [first, ...rest] = lines;
  return (
    <Box flexDirection="column" borderStyle={color ? 'round' : 'classic'} borderColor={c(color, 'red')} paddingX={1}>
      <Text bold color={c(color, 'red')}>{first ?? 'rcuwalk: failed'}</Text>
      {rest.map((l, i) => {
        const next = l.trimStart().startsWith('next:');
        return <Text key={i} color={next ? c(color, 'green') : undefined} bold={next}>{l.trim()}</Text>;
      })}
    </Box>
  );
}
