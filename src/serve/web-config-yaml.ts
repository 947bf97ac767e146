// The web config file's text: YAML with duplicate keys refused, as Go's
// strict unmarshalling in exporter-toolkit refuses them. Kept apart so that
// the YAML parser (9 MB of the agent's memory) loads only with a file.
import { parseDocument } from 'yaml';
import { checkWebConfig, WebConfigError, type WebConfig } from './web-config.js';

export function parseWebConfig(source: string, dir: string): WebConfig {
  const doc = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  const [err] = doc.errors;
  if (err) throw new WebConfigError(`not YAML at line ${err.linePos?.[0].line ?? '?'}: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  return checkWebConfig(doc.toJS(), dir);
}
