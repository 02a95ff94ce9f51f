import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import { freePort } from '../support/net.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

const until = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** `npm start` as a person runs it: the start script in its own process. */
const startProcess = (port: number, dataDir: string): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', 'scripts/local/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), LEADLINE_DATA_DIR: dataDir, TWILIO_AUTH_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const stopProcess = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    child.once('exit', (code) => done(code));
    child.kill('SIGTERM');
  });

describe('npm start', () => {
  const children: ChildProcess[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves webhooks on PORT and keeps leads across a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadline-restart-'));
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const sms = (body: string) => {
      const request = signedSmsRequest({
        publicUrl: `${base}/webhooks/twilio/sms`,
        authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
        from: '+15125550177',
        to: '+15125550100',
        body,
      });
      return fetch(request.url, request.init);
    };
    const textsTo = async (phone: string) => {
      const outbox = (await (await fetch(`${base}/local/outbox`)).json()) as Array<{
        kind: string;
        to: string;
      }>;
      return outbox.filter((e) => e.kind === 'sms' && e.to === phone);
    };

    const first = startProcess(port, dataDir);
    children.push(first);
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the first start');
    expect((await sms('Hi, do you fix leaking faucets?')).status).toBe(200);
    await until(
      async () => ((await textsTo('+15125550177')).length === 1 ? true : undefined),
      'the first reply',
    );
    expect(await stopProcess(first)).toBe(0);

    const second = startProcess(port, dataDir);
    children.push(second);
    await until(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the restart');
    const leads = (await (await fetch(`${base}/local/leads`)).json()) as Array<{
      contact: string;
      leadId: string;
      messages: unknown[];
    }>;
    const lead = leads.find((l) => l.contact === '+15125550177');
    expect(lead?.messages).toHaveLength(2);

    // The conversation goes on where it stopped: the next message is a reply on the same lead.
    expect((await sms("It's in Austin, the kitchen one.")).status).toBe(200);
    await until(
      async () => ((await textsTo('+15125550177')).length === 2 ? true : undefined),
      'the second reply',
    );
    const detail = (await (await fetch(`${base}/local/leads/${lead?.leadId}`)).json()) as {
      qualification: { intent: string };
      messages: unknown[];
    };
    expect(detail.qualification.intent).toBe('reply');
    expect(detail.messages).toHaveLength(4);
    expect(await stopProcess(second)).toBe(0);
  });
});
