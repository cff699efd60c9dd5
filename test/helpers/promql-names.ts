// The metric names a PromQL expression reads (what a rule, a dashboard panel or an example needs a scrape to have):
// every identifier left once strings, label matchers, ranges, label lists, keywords and function calls are taken out.
// Grafana's variables ($instance, ${x}, $__rate_interval) are dropped first; label_values(metric, label) reads metric.
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan', 'atan2']);

export function promqlMetricNames(expr: string): string[] {
  const e = expr
    .replace(/\blabel_values\s*\(([\s\S]*),\s*[a-zA-Z_]\w*\s*\)/g, '$1')
    .replace(/\$\{\w+\}|\$\w+/g, '')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...e.matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1]!);
  return [...new Set(names.filter((n) => !KEYWORDS.has(n.toLowerCase())))];
}
