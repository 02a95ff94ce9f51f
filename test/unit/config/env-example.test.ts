import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretGroups } from '#shared/config/secrets.ts';
import { ENV_EXAMPLE_FILE } from '../../../scripts/lib/env-example.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * Variables the code reads that no person sets: the stack (infra/) or the local runtime wires them
 * into each function, or the operating system has them.
 */
const WIRED = new Set([
  'EVENT_BUS_ARN',
  'EVENT_BUS_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'LEADS_TABLE_NAME',
  'RAW_BUCKET_NAME',
  'SCHEDULER_GROUP_NAME',
  'SCHEDULER_TARGET_ROLE_ARN',
  'S3_FORCE_PATH_STYLE',
  'LEADLINE_BUNDLED_CRM',
  'HOME',
  'PATH',
]);

const sources = (dir: string): string[] =>
  readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));

/** Every variable the functions, shared code and scripts read: `readEnv` shapes and `env.X` reads. */
const settingsRead = (): Set<string> => {
  const names = new Set<string>();
  for (const file of ['functions', 'shared', 'scripts'].flatMap(sources)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\s*:\s*z\./g)) names.add(m[1]!);
    for (const m of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9]*_[A-Z0-9_]+)/g)) names.add(m[1]!);
  }
  for (const group of Object.values(secretGroups))
    for (const key of group.keys) names.add(key.replace(/\?$/, ''));
  return names;
};

describe('.env.example (README: it lists every setting)', () => {
  it('names every setting the code reads, except those the stack or the runtime wires in', () => {
    const listed = new Set(
      [...readFileSync(ENV_EXAMPLE_FILE, 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!),
    );
    const missing = [...settingsRead()].filter((name) => !WIRED.has(name) && !listed.has(name));
    expect(missing).toEqual([]);
  });
});
