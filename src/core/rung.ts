// The rungs of the ladder, bottom to top: diagnose climbs them in this order
// and stops at the first that fails.
export const RUNGS = ['link', 'address', 'route', 'firewall', 'dns', 'application'] as const;
export type Rung = (typeof RUNGS)[number];
