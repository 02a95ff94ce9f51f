import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LeadMessageReceived } from '#events/catalog.ts';
import { sampleEnvelope } from '#events/samples.ts';
import { subscriberNamed, visibilityTimeoutSeconds, webhooks } from '#shared/pipeline.ts';
import { DurableQueue } from '../../scripts/local/durable-queue.ts';
import { startTestPipeline } from '../support/local-pipeline.ts';
import { freePort } from '../support/net.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

const until = async (probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await Promise.resolve(probe()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** True while any process of the group is alive. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start, as a person or a supervisor stops it', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('prints every webhook and the clock in its banner, then stops everything on SIGTERM, leaving no orphan and the data folder free', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'leadline-sigterm-'));
    dirs.push(dataDir);
    const port = await freePort();
    // Its own process group, so the test can see whether anything of it survives.
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port), LEADLINE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    let banner = '';
    npm.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString('utf8');
    });
    const pgid = npm.pid!;
    try {
      await until(async () => (await fetch(`http://localhost:${port}/health`)).ok, 'npm start to answer');
      await until(() => banner.includes('Health:'), 'the banner');
      for (const webhook of webhooks) expect(banner).toContain(webhook.path);
      for (const webhook of webhooks.filter((w) => w.name !== 'inbound-email'))
        expect(banner).toContain(`${webhook.method} http://localhost:${port}${webhook.path}`);
      expect(banner).toContain(`http://localhost:${port}/local/clock`);
      expect(existsSync(join(dataDir, 'leadline.pid'))).toBe(true);

      const exited = new Promise((done) => npm.once('exit', done));
      process.kill(pgid, 'SIGTERM');
      await exited;

      await until(() => !groupAlive(pgid), 'every process of npm start to end', 15_000);
      expect(existsSync(join(dataDir, 'leadline.pid'))).toBe(false);
      await expect(fetch(`http://localhost:${port}/health`)).rejects.toThrow();
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  });

  it('queues again at start the messages a crashed runtime left in flight, instead of waiting out their visibility timeout', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'leadline-crash-'));
    dirs.push(dataDir);
    // What a crash leaves: a message received by qualify (in flight for minutes) and never finished.
    const queue = await DurableQueue.open({
      dir: join(dataDir, 'queues'),
      name: 'qualify',
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(subscriberNamed('qualify')),
    });
    await queue.send(JSON.stringify({ ...sampleEnvelope(LeadMessageReceived), id: 'evt-left-in-flight' }));
    expect(await queue.receive(1)).toHaveLength(1);
    await queue.close();

    const pipeline = await startTestPipeline({
      dataDir,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(subscriberNamed('qualify')),
    });
    try {
      expect(pipeline.runtime.releasedInFlight).toBe(1);
      await pipeline.settle();
      const qualify = pipeline.runtime.queues.get('qualify')!;
      expect(qualify.queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      expect(qualify.deadLetter.stats().visible).toBe(0);
    } finally {
      await pipeline.stop({ keepData: true });
    }
  });
});
