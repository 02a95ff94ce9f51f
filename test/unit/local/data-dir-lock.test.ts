import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../../scripts/local/data-dir-lock.ts';

describe('the data folder lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadline-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes our pid and removes it on release', async () => {
    const lock = await lockDataDir(dir);
    expect(await readFile(join(dir, 'leadline.pid'), 'utf8')).toBe(String(process.pid));
    await lock.release();
    await expect(readFile(join(dir, 'leadline.pid'), 'utf8')).rejects.toThrow();
  });

  it('refuses a folder another live process holds, naming it', async () => {
    await writeFile(join(dir, 'leadline.pid'), String(process.ppid));
    await expect(lockDataDir(dir)).rejects.toThrow(DataDirInUseError);
    await expect(lockDataDir(dir)).rejects.toThrow(`pid ${process.ppid}`);
  });

  it('takes over a lock whose process is gone', async () => {
    await writeFile(join(dir, 'leadline.pid'), '2147483646');
    const lock = await lockDataDir(dir);
    expect(await readFile(join(dir, 'leadline.pid'), 'utf8')).toBe(String(process.pid));
    await lock.release();
  });
});
