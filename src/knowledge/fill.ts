// Next commands with their placeholders filled in for one target.

/** Values for the capitalised placeholders of the knowledge base's commands. */
export interface Blanks {
  HOST?: string;
  DEST?: string;
  PORT?: string;
  DEV?: string;
  NEXTHOP?: string;
}

/** Placeholders no event or probe knows the value of: only a person fills them. */
export const PERSONAL_BLANKS = ['SERVICE', 'USER'] as const;

const PLACEHOLDER = /\b(HOST|DEST|PORT|DEV|NEXTHOP)\b/g;
const ANY_PLACEHOLDER = new RegExp(`${PLACEHOLDER.source}|\\b(${PERSONAL_BLANKS.join('|')})\\b`);

/** Replaces the placeholders whose value is known; the rest stay as words a
 *  person reads and replaces. */
export function fill(command: string, blanks: Blanks): string {
  return command.replace(PLACEHOLDER, (name: string) => blanks[name as keyof Blanks] ?? name);
}

/** Whether any placeholder, fillable or not, is still in the command. */
export function hasBlank(command: string): boolean {
  return ANY_PLACEHOLDER.test(command);
}
