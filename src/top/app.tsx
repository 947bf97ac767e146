// The live view, in ink: status line, table, the selected process's latest
// failures, help. Effects stay outside: the snapshot comes from `refresh`.
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { renderDetail } from './detail.js';
import { clip } from '../core/printable.js';
import { helpLines } from './help.js';
import { press, type ViewState } from './keys.js';
import { summaryLine, visibleRows, type TopSnapshot } from './snapshot.js';
import { renderTable } from './table.js';

export interface AppProps {
  /** brings the counts up to date and returns what to show; called every interval */
  refresh(): TopSnapshot;
  intervalMs: number;
  initial: ViewState;
  color: boolean;
}

const DETAIL_EVENTS = 5;

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function App({ refresh, intervalMs, initial, color }: AppProps) {
  const { exit } = useApp();
  const { columns, rows: height } = useTerminalSize();
  const [snap, setSnap] = useState<TopSnapshot>(refresh);
  const [view, setView] = useState<ViewState>(initial);
  const paused = useRef(view.paused);
  paused.current = view.paused;

  useEffect(() => {
    const t = setInterval(() => {
      // Counts are read even while paused, so rates stay right on resume.
      const next = refresh();
      if (!paused.current) setSnap(next);
    }, intervalMs);
    return () => clearInterval(t);
  }, [refresh, intervalMs]);

  const rows = visibleRows(snap, view);
  const pids = useRef<number[]>([]);
  pids.current = rows.map((p) => p.pid);

  // Keys can arrive faster than renders: each applies to the latest state.
  useInput((input, key) => {
    const k = { input, up: key.upArrow, down: key.downArrow, return: key.return, escape: key.escape, backspace: key.backspace, delete: key.delete, ctrl: key.ctrl };
    setView((v) => press(v, k, pids.current));
  });
  useEffect(() => {
    if (view.quit) exit();
  }, [view.quit, exit]);

  // One line short of the terminal, so ink never scrolls it.
  const usable = Math.max(4, height - 1);
  const width = Math.max(20, columns);
  const status = summaryLine(snap, view, rows.length) + (view.paused ? ' [PAUSED]' : '');
  const hint = view.editing ? `filter: ${view.filter}_  (Enter keeps, Esc clears)` : 'h help  q quit  s/S sort  i invert  r totals/rates  / filter  space pause  ↑↓ select';

  if (view.help) {
    return (
      <Box flexDirection="column">
        {helpLines()
          .slice(0, usable)
          .map((l, i) => (
            <Text key={i} bold={color && i === 0}>
              {l.slice(0, width)}
            </Text>
          ))}
      </Box>
    );
  }

  const selectedIndex = Math.max(0, view.selected === null ? 0 : pids.current.indexOf(view.selected));
  const selected = rows[selectedIndex];
  const detail = selected ? renderDetail(selected, width, DETAIL_EVENTS) : [];
  const tableRoom = Math.max(1, usable - 3 - (detail.length ? detail.length + 1 : 0));
  const offset = Math.max(0, selectedIndex - tableRoom + 1);
  const table = renderTable(rows.slice(offset, offset + tableRoom), width, view.mode);

  return (
    <Box flexDirection="column">
      <Text bold={color}>{clip(status, width)}</Text>
      <Text dimColor={color}>{clip(hint, width)}</Text>
      <Text inverse={color}>{table.header}</Text>
      {table.lines.map((line, i) => {
        const p = rows[offset + i]!;
        const isSelected = offset + i === selectedIndex;
        // Without colour the selection is a '>' in the margin.
        const text = isSelected && !color ? `>${line.slice(1)}` : line;
        return (
          <Text key={p.pid} inverse={color && isSelected} dimColor={color && !isSelected && p.exitedAt !== null}>
            {text}
          </Text>
        );
      })}
      {rows.length === 0 && <Text>{view.filter ? '(no process matches the filter)' : '(no failures yet)'}</Text>}
      {detail.length > 0 && <Text dimColor={color}>{'─'.repeat(width)}</Text>}
      {detail.map((l, i) => (
        <Text key={`d${i}`} bold={color && i === 0}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
