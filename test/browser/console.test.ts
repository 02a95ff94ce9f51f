import type { SQSEvent } from 'aws-lambda';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { type Browser, chromiumMissing, launchChromium } from '../support/browser.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const missing = chromiumMissing();
if (missing) console.warn(missing);

/** The pipeline answers within seconds; a browser waits for what a person would see. */
const SEEN_WITHIN = { timeout: 20_000 };
const BROKEN_SLACK_LEAD = '+15125550177';

describe.skipIf(missing)('the console in a real browser (Debian Chromium), as a person uses it', () => {
  let pipeline: TestPipeline;
  let browser: Browser;
  let slackIsDown = true;
  const errors: string[] = [];
  // Each open console holds a live stream; a person closes tabs, and so does each test.
  const pages: Page[] = [];

  const open = async (hash: string): Promise<Page> => {
    const page = await browser.context.newPage();
    pages.push(page);
    page.on('pageerror', (error) => errors.push(`${hash}: ${error.message}`));
    await page.goto(`${pipeline.runtime.url}/${hash}`);
    return page;
  };

  const textFromPhone = async (page: Page, from: string, body: string) => {
    await page.getByRole('textbox', { name: 'From' }).first().fill(from);
    await page.getByRole('textbox', { name: 'Text message' }).fill(body);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
  };

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      // The rep alert of one lead fails while "Slack is down", as a broken webhook would.
      wrapConsumer: (name, handler) =>
        name !== 'notify'
          ? handler
          : async (event: SQSEvent, context) => {
              if (
                slackIsDown &&
                event.Records.some((r) => r.body.includes(leadIdForContact(BROKEN_SLACK_LEAD)))
              ) {
                throw new Error('Slack is down');
              }
              return handler(event, context);
            },
    });
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  it('shows a lead texted from the simulated phone appear live with its reply and grade, and opens its thread', async () => {
    const list = await open('#/leads');
    await list.getByText('No leads yet.').waitFor(SEEN_WITHIN);

    const phone = await open('#/try');
    await textFromPhone(
      phone,
      '+15125550123',
      'Hi, this is Maria. A pipe burst in my kitchen in Austin, can someone come today?',
    );
    // The phone receives the business's answer.
    await phone
      .locator('.device-message.theirs')
      .getByText('thanks for contacting Brightside Plumbing')
      .waitFor(SEEN_WITHIN);

    // The list, never reloaded, shows the lead as soon as the pipeline has graded and answered it.
    const row = list.locator('a.lead-row', { hasText: 'Maria' });
    await row.locator('.grade-hot').waitFor(SEEN_WITHIN);
    await row.locator('.direction.out').waitFor(SEEN_WITHIN);
    await expect(row.locator('.preview').textContent()).resolves.toMatch(/^Hi Maria, thanks for contacting/);
    await expect(row.locator('.rep').textContent()).resolves.toBe('Dana Ortiz');

    await row.click();
    await list.getByRole('heading', { name: 'Maria' }).waitFor(SEEN_WITHIN);
    const bubbles = list.locator('.bubble');
    await expect(bubbles.count()).resolves.toBe(2);
    await expect(list.locator('.bubble.in .text').textContent()).resolves.toContain(
      'A pipe burst in my kitchen',
    );
    await expect(list.locator('.bubble.out .badge').first().textContent()).resolves.toBe('sent');
    const timeline = list.locator('.events > li strong');
    await list.locator('.events').getByText('Alerted Dana Ortiz').waitFor(SEEN_WITHIN);
    const titles = await timeline.allTextContents();
    // The pipeline's steps in order (the consent ledger's "first contact" sits among them).
    const steps = titles.filter((t) => !t.startsWith('Consent:'));
    expect(steps.slice(0, 3)).toEqual(['Text received', 'Qualified: new enquiry', 'Scored 100 · hot']);
    expect(titles).toContain('Replied by text');
    expect(titles).toContain('Consent: first contact');
    expect(errors).toEqual([]);
  });

  it('redrives a dead-lettered message from the pipeline page, and the rep alert then goes out', async () => {
    const pipelinePage = await open('#/pipeline');
    const notifyRow = pipelinePage.locator('tr[data-subscriber="notify"]');
    await notifyRow.waitFor(SEEN_WITHIN);
    await expect(notifyRow.locator('.dlq').textContent()).resolves.toBe('0');

    const phone = await open('#/try');
    await textFromPhone(
      phone,
      BROKEN_SLACK_LEAD,
      'Burst pipe, water everywhere in my basement in Austin, please come now!',
    );

    // After notify's maximum receive count, the alert sits in the dead-letter queue: the page shows it live.
    await pipelinePage.locator('tr.dead[data-subscriber="notify"]').waitFor({ timeout: 30_000 });
    await expect(notifyRow.locator('.dlq').textContent()).resolves.toBe('1');
    await pipelinePage.getByText('1 step(s) have dead-lettered messages').waitFor();

    slackIsDown = false;
    await notifyRow.getByRole('button', { name: 'Redrive' }).click();
    await pipelinePage.getByText('Moved 1 message(s) back to notify.').waitFor(SEEN_WITHIN);
    await pipelinePage.getByText('No dead-lettered messages').waitFor(SEEN_WITHIN);
    await pipeline.settle();

    const outbox = await open(`#/outbox?kind=slack`);
    await outbox.locator('.outbox-entry').filter({ hasText: BROKEN_SLACK_LEAD }).first().waitFor(SEEN_WITHIN);
    expect(errors).toEqual([]);
  }, 90_000);

  it('fits a phone screen: leads as cards, the thread and timeline one under the other, nothing scrolling sideways', async () => {
    const page = await open('#/leads');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('a.lead-row').first().waitFor(SEEN_WITHIN);
    // Runs in the page: how many pixels the document is wider than the screen.
    const overflow = () =>
      page.evaluate('document.documentElement.scrollWidth - window.innerWidth') as Promise<number>;
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    await expect(page.locator('.lead-row.head').isVisible()).resolves.toBe(false);

    await page.locator('a.lead-row').first().click();
    await page.locator('.events').waitFor(SEEN_WITHIN);
    const thread = await page.locator('.thread').boundingBox();
    const timeline = await page.locator('.timeline').boundingBox();
    expect(timeline!.y).toBeGreaterThan(thread!.y + thread!.height - 1);
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
  });
});
