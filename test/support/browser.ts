import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), which `npm test` installs where it can (`scripts/ensure-chromium.ts`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export const chromiumMissing = (): string | undefined =>
  existsSync(CHROMIUM_PATH)
    ? undefined
    : `No Chromium at ${CHROMIUM_PATH}: browser tests are skipped. Install it with "apt-get install -y chromium" (npm test does so when it runs as root with apt-get).`;

/** Headless, offline and quiet: no GPU, QUIC, first-run, background networking, component updates or sync. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile (its own `--user-data-dir`, removed on close). */
export const launchChromium = async (viewport = { width: 1280, height: 860 }): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), 'leadline-chromium-'));
  // Playwright sets --user-data-dir itself for a persistent context: this fresh folder.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
};
