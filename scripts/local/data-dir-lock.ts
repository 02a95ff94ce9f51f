import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One runtime per data folder: the embedded DynamoDB holds a LevelDB lock there and a second
 * runtime would fail deep inside it. A lock file with our pid says so clearly; a stale one (its
 * process is gone) is taken over.
 */
export const lockDataDir = async (dataDir: string): Promise<{ release: () => Promise<void> }> => {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'leadline.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new DataDirInUseError(
          `Another Leadline (pid ${pid}) is running on the data folder ${dataDir}. Stop it, or set LEADLINE_DATA_DIR to another folder.`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock the data folder ${dataDir}`);
};
