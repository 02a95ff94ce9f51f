import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository's settings template: every setting, with its default or an example. */
export const ENV_EXAMPLE_FILE = resolve(import.meta.dirname, '../../.env.example');

/** What marks an example value as illustrative rather than a usable default: `ACxxxx…`, `your-domain`, `example.com`, `...`. */
const ILLUSTRATIVE = [/x{4,}/i, /\byour-/, /\bexample\.(com|app|org)\b/, /\.\.\./];

/**
 * The illustrative example values of `.env.example` (`# TWILIO_ACCOUNT_SID=ACxxxx…`), by setting
 * name: a setting still holding one was copied and never filled in. Real defaults written there
 * (`SALESFORCE_API_VERSION=62.0`) are not listed.
 */
export const readPlaceholders = (file = ENV_EXAMPLE_FILE): Record<string, string> => {
  const placeholders: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=(.+)$/.exec(line.trim());
    if (match && ILLUSTRATIVE.some((mark) => mark.test(match[2]!))) placeholders[match[1]!] = match[2]!;
  }
  return placeholders;
};
