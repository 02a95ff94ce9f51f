import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Reads a git-ignored `.env` in the working folder, if any; variables already set win. */
export const loadDotEnv = () => {
  const file = resolve(process.cwd(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
};
