// netladder's version has one source, package.json: --version, the
// exporter's landing page and netladder_build_info all read it from here.
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  try {
    // src/cli and dist/cli are both two levels below package.json.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const VERSION = packageVersion();
