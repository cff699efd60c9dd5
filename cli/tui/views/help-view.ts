// The key help (`?`). Pure.
import { KEY_HELP } from '../view-model/ui-state.js';
import { fit } from '../view-model/format.js';
import { bold, dim } from '../text/style.js';
import { boxLines } from './box.js';

export function helpLines(width: number, color: boolean): string[] {
  return boxLines([
    bold('keys'),
    ...KEY_HELP.map(([k, d]) => bold(fit(k, 16, 'left')) + d),
    dim("null metrics (not measurable on this kernel) show as '-'; probes view says why"),
  ], width, color);
}
