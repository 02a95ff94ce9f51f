import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableQueue, type DurableQueueOptions } from '../../../scripts/local/durable-queue.ts';

let dir: string;
let now: number;
const clock = () => now;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-queue-'));
  now = 1_700_000_000_000;
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (options: Partial<DurableQueueOptions> & { name: string }) =>
  DurableQueue.open({ dir, visibilityTimeoutSeconds: 30, clock, ...options });

const openWithDlq = async (maxReceiveCount = 3) => {
  const dlq = await open({ name: 'work-dlq' });
  const queue = await open({ name: 'work', maxReceiveCount, deadLetterQueue: dlq });
  return { queue, dlq };
};

describe('DurableQueue', () => {
  it('hides a received message for the visibility timeout, then redelivers it with a higher receive count', async () => {
    const queue = await open({ name: 'q' });
    const { messageId } = await queue.send('hello');

    const [first] = await queue.receive(10);
    expect(first).toMatchObject({ messageId, body: 'hello', receiveCount: 1, sentTimestamp: now });
    expect(first?.firstReceiveTimestamp).toBe(now);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });

    now += 29_999;
    expect(await queue.receive(10)).toEqual([]);

    now += 1;
    const [second] = await queue.receive(10);
    expect(second).toMatchObject({
      messageId,
      receiveCount: 2,
      firstReceiveTimestamp: first?.firstReceiveTimestamp,
    });
    expect(second?.receiptHandle).not.toBe(first?.receiptHandle);

    now += 30_000;
    const [third] = await queue.receive(10);
    expect(third?.receiveCount).toBe(3);
  });

  it('treats an older receipt handle as stale once the message is received again', async () => {
    const queue = await open({ name: 'q' });
    await queue.send('hello');
    const [first] = await queue.receive(1);
    now += 30_000;
    const [second] = await queue.receive(1);

    expect(await queue.delete(first!.receiptHandle)).toBe(false);
    expect(await queue.changeVisibility(first!.receiptHandle, 0)).toBe(false);
    expect(queue.stats().inFlight).toBe(1);

    expect(await queue.delete(second!.receiptHandle)).toBe(true);
    expect(await queue.delete(second!.receiptHandle)).toBe(false);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await readdir(path.join(dir, 'q'))).toEqual([]);
  });

  it('ignores an unknown receipt handle', async () => {
    const queue = await open({ name: 'q' });
    expect(await queue.delete('not-a-handle')).toBe(false);
  });

  it('moves a message to the dead-letter queue instead of receiving it more than maxReceiveCount times', async () => {
    const { queue, dlq } = await openWithDlq(3);
    const { messageId } = await queue.send('poison', { attributes: { kind: 'test' } });

    for (let receive = 1; receive <= 3; receive++) {
      const [message] = await queue.receive(10);
      expect(message?.receiveCount).toBe(receive);
      now += 30_000;
    }
    expect(await queue.receive(10)).toEqual([]);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(dlq.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

    const [dead] = await dlq.receive(10);
    expect(dead).toMatchObject({
      messageId,
      body: 'poison',
      attributes: { kind: 'test' },
      receiveCount: 4,
      sentTimestamp: 1_700_000_000_000,
      deadLetterQueueSourceArn: queue.arn,
    });
  });

  it('returns visible messages in send order, at most max per receive', async () => {
    const queue = await open({ name: 'q' });
    for (const body of ['a', 'b', 'c']) await queue.send(body);

    expect((await queue.receive(2)).map((m) => m.body)).toEqual(['a', 'b']);
    expect((await queue.receive(2)).map((m) => m.body)).toEqual(['c']);
    expect(await queue.receive(2)).toEqual([]);
  });

  it('keeps a delayed message invisible until its delay has passed', async () => {
    const queue = await open({ name: 'q' });
    await queue.send('later', { delaySeconds: 5 });

    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
    expect(queue.nextVisibleAt()).toBe(now + 5000);
    expect(await queue.receive(1)).toEqual([]);

    now += 5000;
    expect(queue.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect((await queue.receive(1))[0]?.body).toBe('later');
  });

  it('changes the visibility of an in-flight message', async () => {
    const queue = await open({ name: 'q' });
    await queue.send('m');
    const [message] = await queue.receive(1);

    expect(await queue.changeVisibility(message!.receiptHandle, 0)).toBe(true);
    const [again] = await queue.receive(1);
    expect(again?.receiveCount).toBe(2);

    expect(await queue.changeVisibility(again!.receiptHandle, 120)).toBe(true);
    now += 60_000;
    expect(await queue.receive(1)).toEqual([]);
    expect(queue.nextVisibleAt()).toBe(now + 60_000);
  });

  it('reports the next time a message becomes visible', async () => {
    const queue = await open({ name: 'q' });
    expect(queue.nextVisibleAt()).toBeUndefined();
    await queue.send('m');
    expect(queue.nextVisibleAt()).toBe(now);
    await queue.receive(1);
    expect(queue.nextVisibleAt()).toBe(now + 30_000);
  });

  it('keeps every accepted message across a reopen, in-flight ones becoming visible after their timeout', async () => {
    const queue = await open({ name: 'q' });
    await queue.send('one');
    await queue.send('two');
    await queue.send('three', { delaySeconds: 60 });
    await queue.send('gone');
    const [one, two] = await queue.receive(2);
    const [gone] = await queue.receive(1);
    await queue.delete(gone!.receiptHandle);
    await queue.close();

    now += 10_000;
    const reopened = await open({ name: 'q' });
    expect(reopened.stats()).toEqual({ visible: 0, inFlight: 2, delayed: 1 });
    expect(await reopened.receive(10)).toEqual([]);

    // a handle issued before the restart still works while its message is in flight
    expect(await reopened.delete(two!.receiptHandle)).toBe(true);

    now += 20_000;
    const redelivered = await reopened.receive(10);
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]).toMatchObject({ messageId: one!.messageId, body: 'one', receiveCount: 2 });

    now += 30_000;
    expect((await reopened.receive(10)).map((m) => [m.body, m.receiveCount])).toEqual([
      ['one', 3],
      ['three', 1],
    ]);

    const sent = await reopened.send('four');
    now += 30_000;
    const order = (await reopened.receive(10)).map((m) => m.body);
    expect(order).toEqual(['one', 'three', 'four']);
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes messages left in flight visible at once when reopened with releaseInFlight, delayed ones staying delayed', async () => {
    const queue = await open({ name: 'q', visibilityTimeoutSeconds: 180 });
    await queue.send('in flight');
    await queue.send('later', { delaySeconds: 60 });
    const [taken] = await queue.receive(1);
    await queue.close();

    now += 1_000;
    const reopened = await open({ name: 'q', visibilityTimeoutSeconds: 180, releaseInFlight: true });
    expect(reopened.releasedAtOpen).toBe(1);
    expect(reopened.stats()).toEqual({ visible: 1, inFlight: 0, delayed: 1 });
    // the old receipt handle belonged to the process that is gone
    expect(await reopened.delete(taken!.receiptHandle)).toBe(false);
    const [again] = await reopened.receive(10);
    expect(again).toMatchObject({ messageId: taken!.messageId, body: 'in flight', receiveCount: 2 });
  });

  it('keeps the receive count across a reopen so a poison message still reaches the dead-letter queue', async () => {
    const { queue } = await openWithDlq(2);
    await queue.send('poison');
    await queue.receive(1);
    now += 30_000;
    await queue.receive(1);

    const dlq = await open({ name: 'work-dlq' });
    const reopened = await open({ name: 'work', maxReceiveCount: 2, deadLetterQueue: dlq });
    now += 30_000;
    expect(await reopened.receive(1)).toEqual([]);
    expect(dlq.stats().visible).toBe(1);
  });

  it('ignores an interrupted write and sets a corrupt file aside on open', async () => {
    const queue = await open({ name: 'q' });
    await queue.send('kept');
    await writeFile(path.join(dir, 'q', 'half-written.json.1234.tmp'), '{"format":');
    await writeFile(path.join(dir, 'q', '00000000-0000-4000-8000-000000000000.json'), 'not json');

    const reopened = await open({ name: 'q' });
    expect((await reopened.receive(10)).map((m) => m.body)).toEqual(['kept']);
    const files = await readdir(path.join(dir, 'q'));
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(files).toContain('00000000-0000-4000-8000-000000000000.json.corrupt');
  });

  it('redrives a dead-letter queue back to its source with the receive count reset', async () => {
    const { queue, dlq } = await openWithDlq(1);
    await queue.send('a');
    await queue.send('b');
    await queue.receive(10);
    now += 30_000;
    expect(await queue.receive(10)).toEqual([]);
    expect(dlq.stats().visible).toBe(2);

    expect(await dlq.moveMessagesTo(queue)).toBe(2);
    expect(dlq.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const redriven = await queue.receive(10);
    expect(redriven.map((m) => [m.body, m.receiveCount])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(redriven[0]?.deadLetterQueueSourceArn).toBeUndefined();
  });

  it('moves messages at most maxPerSecond', async () => {
    const source = await open({ name: 'src' });
    const target = await open({ name: 'dst' });
    await source.send('a');
    await source.send('b');
    expect(await source.moveMessagesTo(target, { maxPerSecond: 100 })).toBe(2);
    expect(target.stats().visible).toBe(2);
  });

  it('drops messages older than the retention period', async () => {
    const queue = await open({ name: 'q', retentionSeconds: 60 });
    await queue.send('old');
    now += 30_000;
    await queue.send('new');
    now += 30_000;
    expect(queue.stats().visible).toBe(1);
    expect((await queue.receive(10)).map((m) => m.body)).toEqual(['new']);
    expect(await readdir(path.join(dir, 'q'))).toHaveLength(1);
  });

  it('neither loses nor duplicates messages under concurrent sends, receives and deletes', async () => {
    const queue = await open({ name: 'q' });
    const received = new Set<string>();
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(queue.send(`m${i}`));
      work.push(
        queue.receive(3).then(async (messages) => {
          for (const m of messages) {
            expect(received.has(m.body)).toBe(false);
            received.add(m.body);
            await queue.delete(m.receiptHandle);
          }
        }),
      );
    }
    await Promise.all(work);
    for (const m of await queue.receive(100)) received.add(m.body);
    expect(received.size).toBe(40);
  });

  it('rejects a redrive policy without a dead-letter queue and an invalid name', async () => {
    await expect(open({ name: 'q', maxReceiveCount: 3 })).rejects.toThrow(/go together/);
    await expect(open({ name: 'bad/name' })).rejects.toThrow(/not valid/);
  });

  it('rejects an empty or oversized body', async () => {
    const queue = await open({ name: 'q' });
    await expect(queue.send('')).rejects.toThrow(/non-empty/);
    await expect(queue.send('x'.repeat(256 * 1024 + 1))).rejects.toThrow(/limit/);
  });
});
