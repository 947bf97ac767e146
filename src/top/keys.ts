// What each key does to the view's state. Pure: (state, key) -> state.
import { SORT_KEYS } from './columns.js';
import type { ViewSettings } from './snapshot.js';

export interface ViewState extends ViewSettings {
  paused: boolean;
  help: boolean;
  /** typing a filter: keys go to the filter text */
  editing: boolean;
  /** pid of the selected row, or null for the first */
  selected: number | null;
  quit: boolean;
}

export interface KeyPress {
  input: string;
  up?: boolean;
  down?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

/** `pids` are the visible rows in order, for moving the selection. */
export function press(s: ViewState, k: KeyPress, pids: readonly number[]): ViewState {
  if (k.ctrl && k.input === 'c') return { ...s, quit: true };
  if (s.help) return { ...s, help: false };
  if (s.editing) {
    if (k.return) return { ...s, editing: false };
    if (k.escape) return { ...s, editing: false, filter: '' };
    if (k.backspace || k.delete) return { ...s, filter: s.filter.slice(0, -1) };
    if (k.input && !k.ctrl) {
      // Pasted or fast-typed text can arrive with its Enter in one piece.
      const end = k.input.search(/[\r\n]/);
      const text = (end < 0 ? k.input : k.input.slice(0, end)).replace(/[\x00-\x1f\x7f]/g, '');
      return { ...s, filter: s.filter + text, editing: end < 0 };
    }
    return s;
  }
  const at = s.selected === null ? 0 : Math.max(0, pids.indexOf(s.selected));
  if (k.up || k.input === 'k') return { ...s, selected: pids[Math.max(0, at - 1)] ?? null };
  if (k.down || k.input === 'j') return { ...s, selected: pids[Math.min(pids.length - 1, at + 1)] ?? null };
  if (k.escape) return { ...s, filter: '' };
  const cycle = (by: number): string => SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + by + SORT_KEYS.length) % SORT_KEYS.length]!;
  switch (k.input) {
    case 'q':
      return { ...s, quit: true };
    case 's':
      return { ...s, sort: cycle(1) };
    case 'S':
      return { ...s, sort: cycle(-1) };
    case 'i':
      return { ...s, reverse: !s.reverse };
    case 'r':
      return { ...s, mode: s.mode === 'totals' ? 'rates' : 'totals' };
    case '/':
      return { ...s, editing: true };
    case ' ':
    case 'p':
      return { ...s, paused: !s.paused };
    case 'h':
    case '?':
      return { ...s, help: true };
    default:
      return s;
  }
}
