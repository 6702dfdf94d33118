/** Why a name cannot be an account name; each has its own message in the web UI. */
export type NameProblem = 'name-empty' | 'name-too-long' | 'name-characters' | 'name-edges' | 'name-reserved';

export const MAX_NAME_LENGTH = 64;

/**
 * Names that belong to the device or to mail conventions (RFC 2142), and
 * names people would trust as official. `news` receives the public news page.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'abuse',
  'admin',
  'administrator',
  'hostmaster',
  'info',
  'lokole',
  'mailer-daemon',
  'news',
  'no-reply',
  'noc',
  'noreply',
  'postmaster',
  'root',
  'security',
  'support',
  'system',
  'webmaster',
  'www',
]);

/** The account name for what someone typed (name or full address), lower-cased and trimmed. */
export function normalizeName(raw: string, domain: string): string {
  const name = raw.trim().toLowerCase();
  const suffix = `@${domain}`;
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/** Checks a name for a new account; undefined when it may be used. */
export function checkName(name: string): NameProblem | undefined {
  if (name === '') return 'name-empty';
  if (name.length > MAX_NAME_LENGTH) return 'name-too-long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'name-characters';
  if (/^[.-]|[.-]$|\.\./.test(name)) return 'name-edges';
  if (RESERVED_NAMES.has(name)) return 'name-reserved';
  return undefined;
}
