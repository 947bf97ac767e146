// Basic auth against the bcrypt hashes of the web config. bcrypt is slow on
// purpose (tens of ms at cost 10), and Prometheus sends the same credentials
// at every scrape, so each (user, hash, password) verdict is remembered, as
// exporter-toolkit does; the key is a digest, so no password is kept.
import { createHash } from 'node:crypto';

/** User and password from an Authorization header, if it is Basic. */
export function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// An unknown user is checked against this hash anyway, so the time taken
// does not tell which user names exist.
const DUMMY = '$2b$10$S2.Z3dyDWMwFR8cjX/oOeeLuzhWEOfnIPLXCkfzltBGoBq9wDOExK';
const REMEMBERED = 256;

export class BasicAuth {
  private readonly verdicts = new Map<string, boolean>();

  async allows(users: Map<string, string>, header: string | undefined): Promise<boolean> {
    const c = basicCredentials(header);
    if (!c) return false;
    const hash = users.get(c.user);
    const key = createHash('sha256').update(JSON.stringify([c.user, hash ?? '', c.password])).digest('hex');
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    // Loaded on first use: an exporter without users never needs it.
    const { default: bcrypt } = await import('bcryptjs');
    const ok = (await bcrypt.compare(c.password, hash ?? DUMMY)) && hash !== undefined;
    if (this.verdicts.size >= REMEMBERED) this.verdicts.clear();
    this.verdicts.set(key, ok);
    return ok;
  }
}
