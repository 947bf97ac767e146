// Next commands with their placeholders filled in for one target.

/** Values for the capitalised placeholders of the knowledge base's commands. */
export interface Blanks {
  HOST?: string;
  DEST?: string;
  PORT?: string;
  DEV?: string;
  NEXTHOP?: string;
}

const PLACEHOLDER = /\b(HOST|DEST|PORT|DEV|NEXTHOP)\b/g;

/** Replaces the placeholders whose value is known; the rest stay as words a
 *  person reads and replaces. */
export function fill(command: string, blanks: Blanks): string {
  return command.replace(PLACEHOLDER, (name: string) => blanks[name as keyof Blanks] ?? name);
}
