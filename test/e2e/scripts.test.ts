import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/net.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Runs a script as `npm run` does (tsx on this Node), with no .env and no running runtime to find. */
const script = async (file: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(PORT|LEADLINE_DATA_DIR|npm_config_)/i.test(name)),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: repoRoot,
      env: { ...clean, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('the npm run scripts, as a person calls them', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadline-scripts-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('each answers --help with its usage, exit status 0', async () => {
    const scripts = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    // What a person runs: npm's own lifecycle steps (`pretest`) take no arguments.
    const ours = Object.entries(scripts).flatMap(([name, command]) => {
      const file = /(scripts\/\S+\.ts)/.exec(command)?.[1];
      return file && !/^(pre|post)/.test(name) ? [{ name, file }] : [];
    });
    expect(ours.map((s) => s.name).sort()).toEqual([
      'bench',
      'bundle-check',
      'consent',
      'email',
      'eval',
      'eval:opt-out',
      'redrive',
      'screenshots',
      'sms',
      'soak',
      'start',
    ]);
    for (const { name, file } of ours) {
      const { code, stdout } = await script(file, ['--help'], { LEADLINE_DATA_DIR: dataDir });
      expect(code, name).toBe(0);
      expect(stdout, name).toMatch(/^Usage: npm (run \S+|start) --/);
    }
  });

  it('says in one line that nothing answers, on the port npm start would use', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await script('scripts/send-test-sms.ts', ['--body', 'Leaking pipe'], {
      PORT: String(port),
      LEADLINE_DATA_DIR: dataDir,
    });
    expect(code).toBe(1);
    expect(stdout.trim()).toBe(`POST http://localhost:${port}/webhooks/twilio/sms`);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^nothing answers at http://localhost:${port} \\(connection refused\\)`),
      ),
    ]);
  });

  it('npm start refuses a booking page secret that breaks its rule before anything starts', async () => {
    const { code, stderr } = await script('scripts/local/start.ts', [], {
      PORT: String(await freePort()),
      LEADLINE_DATA_DIR: dataDir,
      CALCOM_WEBHOOK_SECRET: 'calsecret',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /CALCOM_WEBHOOK_SECRET: the Cal.com webhook secret must be at least 16 characters/,
    );
  });

  it('prints the mistake and the usage for a wrong argument, exit status 2', async () => {
    const { code, stdout, stderr } = await script('scripts/send-test-email.ts', ['--bdy', 'hi'], {
      LEADLINE_DATA_DIR: dataDir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^npm run email: unknown option --bdy \(did you mean --body\?\)\nUsage: npm run email --/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
