import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../../../scripts/local/durable-queue.ts';
import { createInspector } from '../../../scripts/local/inspect.ts';
import { redriveLocally } from '../../../scripts/redrive.ts';

describe('npm run redrive -- --local (the local runtime moves its own dead letters back)', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let queue: DurableQueue;
  let deadLetter: DurableQueue;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadline-redrive-'));
    deadLetter = await DurableQueue.open({ dir, name: 'notify-dlq', visibilityTimeoutSeconds: 30 });
    queue = await DurableQueue.open({
      dir,
      name: 'notify',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 1,
      deadLetterQueue: deadLetter,
    });
    const inspector = createInspector({
      tableName: 'unused',
      queues: new Map([['notify', { queue, deadLetter }]]),
    });
    server = createServer((req, res) => {
      void inspector.handle(req, res, new URL(req.url ?? '/', 'http://localhost').pathname);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await queue.close();
    await deadLetter.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("moves every dead-lettered message back to the subscriber's queue, ready to be received again", async () => {
    await deadLetter.send('{"id":"e-1"}');
    await deadLetter.send('{"id":"e-2"}');

    const outcome = await redriveLocally({ subscriber: 'notify', url });

    expect(outcome.moved).toBe(2);
    expect(deadLetter.stats().visible).toBe(0);
    expect(queue.stats().visible).toBe(2);
  });

  it('answers 404 for a subscriber the runtime does not have, and 405 to anything but POST', async () => {
    await expect(redriveLocally({ subscriber: 'nobody', url })).rejects.toThrow(/refused the redrive \(404/);
    expect((await fetch(`${url}/local/queues/notify/redrive`)).status).toBe(405);
  });

  it('says so when nothing runs at the URL', async () => {
    await expect(redriveLocally({ subscriber: 'notify', url: 'http://127.0.0.1:9' })).rejects.toThrow(
      /does not answer/,
    );
  });
});
