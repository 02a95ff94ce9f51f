/**
 * `npm run screenshots`: the console's pictures in the README, taken from a fresh local runtime
 * filled with demo leads (written through the simulated phone and mailbox, so through the real
 * webhooks and pipeline), in Debian's Chromium. Writes `console/screenshots/*.png`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_DIR } from '../console/build.ts';
import { chromiumMissing, launchChromium } from '../test/support/browser.ts';
import { parseCli } from './lib/cli.ts';
import { startLocalRuntime } from './local/runtime.ts';

parseCli({
  command: 'npm run screenshots --',
  usage: `
Takes the README's console screenshots (console/screenshots/*.png) from demo leads written through
the simulated phone and mailbox of a fresh local runtime, in Debian's Chromium (/usr/bin/chromium).`,
  options: { help: { type: 'boolean', short: 'h' } },
});

/** The demo: who writes, how, and what, in order (a later line of the same person answers the business). */
type DemoMessage = ({ sms: string } | { email: string; subject: string }) & { body: string };
const DEMO: DemoMessage[] = [
  {
    email: 'Tom Reyes <tom@example.com>',
    subject: 'Water heater',
    body: 'Can I get a quote for a tankless water heater? Sometime next month is fine.',
  },
  { sms: '+15125550161', body: 'Do you do bathroom remodels? Thinking about redoing ours next year.' },
  { sms: '+15125550161', body: 'STOP' },
  {
    sms: '+15125550188',
    body: 'Congratulations! You won a $500 gift card, claim now at http://prize.example',
  },
  {
    sms: '+15125550145',
    body: 'Hello, my bathroom sink drains really slowly. Could someone look at it this week? - Priya',
  },
  {
    email: 'Luis Ortega <luis@example.com>',
    subject: 'Leak under the sink',
    body: "There's water under my kitchen sink in Round Rock. Can you come tomorrow morning?",
  },
  {
    sms: '+15125550123',
    body: 'Hi, this is Maria. My kitchen faucet is dripping in Austin, can someone come by tomorrow morning?',
  },
  { sms: '+15125550123', body: '2' },
];

const main = async () => {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const dataDir = await mkdtemp(join(tmpdir(), 'leadline-screenshots-'));
  const out = join(CONSOLE_DIR, 'screenshots');
  await mkdir(out, { recursive: true });
  const runtime = await startLocalRuntime({ port: 0, dataDir, env: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
  const browser = await launchChromium({ width: 1280, height: 760 });
  try {
    for (const message of DEMO) {
      const [path, body] =
        'sms' in message
          ? ['sms', { from: message.sms, body: message.body }]
          : ['email', { from: message.email, subject: message.subject, body: message.body }];
      const response = await fetch(`${runtime.url}/local/simulate/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { status?: number; message?: string };
      if (answer.status !== 200) throw new Error(`The demo message was refused: ${JSON.stringify(answer)}`);
      await runtime.drain(30_000);
    }
    const page = await browser.context.newPage();
    await page.goto(`${runtime.url}/#/leads`);
    await page
      .locator('a.lead-row')
      .nth(DEMO.length - 3)
      .waitFor();
    await page.screenshot({ path: join(out, 'leads.png') });

    await page.locator('a.lead-row', { hasText: 'Maria' }).click();
    await page.locator('.events strong', { hasText: 'Meeting booked' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 1150 });
    await page.screenshot({ path: join(out, 'conversation.png') });

    await page.setViewportSize({ width: 390, height: 780 });
    await page.goto(`${runtime.url}/#/leads`);
    await page.locator('a.lead-row').first().waitFor();
    await page.screenshot({ path: join(out, 'leads-phone.png') });
    console.log(`Screenshots of the lead list (wide and phone-sized) and Maria's conversation are in ${out}`);
  } finally {
    await browser.close();
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
