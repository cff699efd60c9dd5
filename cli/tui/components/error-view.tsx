// An error found at start (not root, bpftrace missing, probes unavailable): what is wrong and the next step.
import { Box, Text } from 'ink';
import { c } from '../theme.js';
import { sanitize } from '../sanitize.js';

/** lines as from describeError: the first says what is wrong, `  next: …` what to do, the rest context. */
export function ErrorView({ lines, color, width }: { lines: readonly string[]; color: boolean; width?: number | undefined }) {
  const [first, ...rest] = lines;
  return (
    <Box flexDirection="column" width={width} borderStyle={color ? 'round' : 'classic'} borderColor={c(color, 'red')} paddingX={1}>
      <Text bold color={c(color, 'red')}>{sanitize(first ?? 'rcuwalk: failed')}</Text>
      {rest.map((l, i) => {
        const next = l.trimStart().startsWith('next:');
        return <Text key={i} bold={next} color={next ? c(color, 'green') : undefined}>{sanitize(l.trim())}</Text>;
      })}
    </Box>
  );
}
