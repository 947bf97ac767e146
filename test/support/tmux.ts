// A real terminal for the live view: a detached tmux session of a given
// size, typed into with send-keys and read with capture-pane. Each has its
// own tmux server (-L), so sessions of different tests never race.
import { execFileSync } from 'node:child_process';
import { until } from './wait.js';

export class Tmux {
  readonly name = `netladder-test-${process.pid}-${Math.floor(Math.random() * 1e6)}`;

  private tmux(args: string[], opts: { encoding?: 'utf8'; stdio?: 'ignore' } = {}): string {
    return execFileSync('tmux', ['-L', this.name, ...args], { encoding: 'utf8', ...opts }) ?? '';
  }

  constructor(
    readonly width: number,
    readonly height: number,
    env: Record<string, string> = {},
  ) {
    const vars = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux(['new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), ...vars, '/bin/sh']);
  }

  /** Types a line into the shell. */
  type(line: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', line]);
    this.tmux(['send-keys', '-t', this.name, 'Enter']);
  }

  /** Sends keys by tmux name ("q", "Down", "Escape", "/"). */
  keys(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  /** The visible screen as text; with escapes, the attributes too. */
  screen(escapes = false): string {
    return this.tmux(['capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name]);
  }

  async waitFor(what: string, test: (screen: string) => boolean, ms = 20_000): Promise<string> {
    let last = '';
    try {
      return await until(what, () => {
        last = this.screen();
        return test(last) ? last : undefined;
      }, ms, 100);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- screen ---\n${last}`);
    }
  }

  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  kill(): void {
    try {
      this.tmux(['kill-server'], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
