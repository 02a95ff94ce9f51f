import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

/** Whether a process with this pid runs (one we may not signal counts). */
export const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const PID_FILE = 'leadline.pid';
/** Where the runtime holding the lock says it listens, for the scripts (`npm run sms`, redrive). */
const URL_FILE = 'leadline.url';

/** The URL of the runtime running on this data folder, if one runs (its pid is alive). */
export const runningRuntimeUrl = async (dataDir: string): Promise<string | undefined> => {
  const pid = Number((await readFile(join(dataDir, PID_FILE), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return (await readFile(join(dataDir, URL_FILE), 'utf8').catch(() => '')).trim() || undefined;
};

/**
 * One runtime per data folder: the embedded DynamoDB holds a LevelDB lock there and a second
 * runtime would fail deep inside it. A lock file with our pid says so clearly; a stale one (its
 * process is gone) is taken over. `announce` records the URL the runtime listens on beside it.
 */
export const lockDataDir = async (
  dataDir: string,
): Promise<{ release: () => Promise<void>; announce: (url: string) => Promise<void> }> => {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, PID_FILE);
  const urlPath = join(dataDir, URL_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return {
        release: async () => {
          await rm(urlPath, { force: true });
          await rm(path, { force: true });
        },
        announce: (url) => writeFile(urlPath, `${url}\n`),
      };
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
