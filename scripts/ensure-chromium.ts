/**
 * Before `npm test`: makes sure the browser tests have Debian's Chromium. When it is missing and
 * this machine can install it (Linux with apt-get, as root or with password-less sudo), it runs
 * `apt-get install chromium`; otherwise it says why, and the browser tests skip with the same
 * message (`test/support/browser.ts`). It never fails the test run by itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../test/support/browser.ts';

const run = (command: string[], asRoot: boolean) => {
  const [program, ...args] = asRoot ? command : ['sudo', '-n', ...command];
  const result = spawnSync(program!, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
};

const main = () => {
  if (existsSync(CHROMIUM_PATH)) return;
  const skip = (why: string) =>
    console.warn(`Chromium is not installed (${why}): the browser tests will be skipped.`);
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get'))
    return skip('no apt-get on this machine');
  const asRoot = process.getuid?.() === 0;
  if (!asRoot && spawnSync('sudo', ['-n', 'true']).status !== 0)
    return skip('not root and no password-less sudo');
  console.log('Installing Debian Chromium for the browser tests (apt-get install chromium)…');
  if (!run(['apt-get', 'update'], asRoot)) return skip('apt-get update failed');
  if (!run(['apt-get', 'install', '-y', 'chromium'], asRoot)) {
    return skip('apt-get install chromium failed');
  }
  if (!existsSync(CHROMIUM_PATH)) skip(`the package did not provide ${CHROMIUM_PATH}`);
};

main();
