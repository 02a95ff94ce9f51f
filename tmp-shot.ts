import { launchChromium } from './test/support/browser.ts';

const b = await launchChromium();
const page = b.context.pages()[0] ?? (await b.context.newPage());
page.on('console', (m) => console.log('console:', m.text()));
await page.goto('http://localhost:3914/');
await page.waitForSelector('.lead-row[data-lead-id]');
await page.screenshot({ path: '/tmp/i14-list.png' });
await page.click('.lead-row[data-lead-id]');
await page.waitForSelector('.bubbles');
await page.screenshot({ path: '/tmp/i14-lead.png', fullPage: true });
await page.goto('http://localhost:3914/#/pipeline');
await page.waitForSelector('table.queues');
await page.screenshot({ path: '/tmp/i14-pipe.png', fullPage: true });
await page.goto('http://localhost:3914/#/try');
await page.waitForSelector('.devices');
await page.waitForTimeout(800);
await page.screenshot({ path: '/tmp/i14-try.png', fullPage: true });
await b.close();
