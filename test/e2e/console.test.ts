import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDetail, LeadPage, PipelineHealth, Session } from '#shared/console/views.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const MARIA = '+15125550123';
const JOE = '+15125550124';
const ANA = '+15125550125';

describe('the console on the local runtime', () => {
  let pipeline: TestPipeline;
  const get = async <T>(path: string, status = 200): Promise<T> => {
    const response = await fetch(`${pipeline.runtime.url}${path}`);
    const body = (await response.json()) as T;
    expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(status);
    return body;
  };
  const post = (path: string, body: unknown) =>
    fetch(`${pipeline.runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    pipeline = await startTestPipeline();
    await pipeline.sms(
      MARIA,
      'Hi, this is Maria. A pipe burst in my kitchen in Austin, can someone come today?',
    );
    await pipeline.settle();
    await pipeline.sms(JOE, 'How much for a new water heater, sometime next month?');
    await pipeline.settle();
    await pipeline.email({
      from: 'Tom <tom@example.com>',
      subject: 'Drain',
      text: 'My shower drain is slow.',
    });
    await pipeline.settle();
    await pipeline.sms(ANA, 'Win a free cruise!!! Click here http://spam.example');
    await pipeline.settle();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('serves the browser app and its assets from the runtime, with no CDN', async () => {
    const page = await fetch(`${pipeline.runtime.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    for (const asset of assets) {
      const response = await fetch(`${pipeline.runtime.url}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
    expect(await get<{ mode: string }>('/config.json')).toEqual({ mode: 'local' });
    expect(await get<Session>('/api/session')).toEqual({
      user: 'you (local)',
      canRedrive: true,
      mode: 'local',
    });
  });

  it('lists leads by latest activity, pages with a cursor, and refuses a cursor it did not make', async () => {
    const first = await get<LeadPage>('/api/leads?limit=2');
    expect(first.leads.map((l) => l.contact)).toEqual([ANA, 'tom@example.com']);
    expect(first.nextCursor).toBeDefined();
    const rest = await get<LeadPage>(`/api/leads?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(rest.leads.map((l) => l.contact)).toEqual([JOE, MARIA]);
    expect(rest.nextCursor).toBeUndefined();
    expect(await get<{ message: string }>('/api/leads?cursor=bm9wZQ', 400)).toMatchObject({
      message: 'cursor is not one this list handed out',
    });
    expect((await get<{ message: string }>('/api/leads?stage=closed', 400)).message).toMatch(/^stage:/);
  });

  it('filters by grade, stage and channel, and searches names, phone numbers and emails', async () => {
    const contacts = async (query: string) =>
      (await get<LeadPage>(`/api/leads?${query}`)).leads.map((l) => l.contact).sort();
    expect(await contacts('grade=hot')).toEqual([MARIA]);
    expect(await contacts('channel=email')).toEqual(['tom@example.com']);
    expect(await contacts('stage=spam')).toEqual([ANA]);
    expect(await contacts('stage=qualified')).toEqual([MARIA, 'tom@example.com']);
    expect(await contacts(`q=${encodeURIComponent('(512) 555-0124')}`)).toEqual([JOE]);
    expect(await contacts('q=maria')).toEqual([MARIA]);
    expect(await contacts('q=TOM%40EXAMPLE')).toEqual(['tom@example.com']);
    expect(await contacts('channel=sms&grade=hot&q=tom')).toEqual([]);
  });

  it("shows each row's grade, last message, rep, speed to lead and opt-out state", async () => {
    const { leads } = await get<LeadPage>(`/api/leads?q=${encodeURIComponent(MARIA)}`);
    expect(leads[0]).toMatchObject({
      name: 'Maria',
      grade: 'hot',
      // The conversation's stage: a hot lead is qualified.
      stage: 'qualified',
      channel: 'sms',
      rep: { name: 'Dana Ortiz' },
      optedOut: false,
      lastMessage: { direction: 'out', status: 'sent' },
    });
    expect(leads[0]?.speedToLeadMs).toBeGreaterThanOrEqual(0);
  });

  it("shows a lead's conversation with statuses and the pipeline's events, recorded as they passed on the bus", async () => {
    const { leads } = await get<LeadPage>(`/api/leads?q=${encodeURIComponent(MARIA)}`);
    const detail = await get<LeadDetail>(`/api/leads/${leads[0]!.leadId}`);
    expect(detail.thread.map((m) => [m.direction, m.status])).toEqual([
      ['in', 'received'],
      ['out', 'sent'],
    ]);
    const titles = detail.timeline.map((i) => i.title);
    const events = detail.timeline.filter((i) => i.source === 'event').map((i) => i.title);
    expect(events.slice(0, 3)).toEqual(['Text received', 'Qualified: new enquiry', 'Scored 100 · hot']);
    expect(titles).toEqual(
      expect.arrayContaining([
        // An emergency is offered no slots days away: the rep calls (issue 11).
        'Replied by text',
        'Created in the sandbox CRM',
        'Alerted Dana Ortiz',
        // The consent ledger's first line: the lead wrote first.
        'Consent: first contact',
      ]),
    );
    expect(detail.timeline.every((i) => i.source === 'event' || i.source === 'consent')).toBe(true);
    await get('/api/leads/ld_nobody', 404);
  });

  it('shows every queue idle with its dead-letter queue, and speed to lead over the last hours', async () => {
    const health = await get<PipelineHealth>('/api/pipeline?hours=6');
    expect(health.queues.map((q) => q.subscriber)).toContain('timeline');
    for (const queue of health.queues) expect(queue).toMatchObject({ visible: 0, deadLettered: 0 });
    expect(health.speedToLead.points).toHaveLength(6);
    expect(health.speedToLead.points.at(-1)?.leads).toBe(3);
    await get('/api/pipeline?hours=0', 400);
  });

  it('filters the sandbox outbox by kind, recipient (any usual form) and time, refusing a bad filter', async () => {
    const all = await get<{ kind: string; to: string; at: string }[]>('/local/outbox');
    const texts = await get<{ kind: string; to: string }[]>(
      `/local/outbox?kind=sms&to=${encodeURIComponent('(512) 555-0123')}`,
    );
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((e) => e.kind === 'sms' && e.to === MARIA)).toBe(true);
    expect(texts.length).toBeLessThan(all.length);
    const last = all.at(-1)!;
    const since = await get<{ at: string }[]>(`/local/outbox?since=${encodeURIComponent(last.at)}`);
    expect(since.every((e) => e.at >= last.at)).toBe(true);
    expect(await get('/local/outbox?since=2999-01-01T00:00:00Z')).toEqual([]);
    // A day is a time too; an unencoded + (a space once decoded) still reads as the number.
    expect(await get('/local/outbox?since=2999-01-01')).toEqual([]);
    expect((await get<unknown[]>(`/local/outbox?kind=sms&to=${MARIA}`)).length).toBe(texts.length);
    expect((await get<{ message: string }>('/local/outbox?kind=fax', 400)).message).toMatch(/^kind:/);
    expect((await get<{ message: string }>('/local/outbox?since=yesterday', 400)).message).toMatch(/^since:/);
  });

  it('lets a simulated phone and mailbox write to the business through its real webhooks', async () => {
    const refused = await post('/local/simulate/sms', { from: 'not a number', body: 'Hello' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ message: 'from: "not a number" is not a phone number' });
    expect((await post('/local/simulate/email', { from: 'nobody', body: 'Hi' })).status).toBe(400);
    expect((await post('/local/simulate/sms', { from: '+15125550126' })).status).toBe(400);

    const text = await post('/local/simulate/sms', {
      from: '(512) 555-0126',
      body: 'Leaky faucet, any time this week',
    });
    const answer = (await text.json()) as { leadId: string; contact: string; status: number };
    expect(answer).toMatchObject({ contact: '+15125550126', status: 200 });
    const mail = await post('/local/simulate/email', {
      from: 'Lee <lee@example.com>',
      subject: 'Estimate',
      body: 'Could you give me an estimate for a bathroom remodel?',
    });
    expect(await mail.json()).toMatchObject({ contact: 'lee@example.com', status: 200 });
    await pipeline.settle();
    const lead = await get<LeadDetail>(`/api/leads/${answer.leadId}`);
    expect(lead.thread.map((m) => m.direction)).toEqual(['in', 'out']);
    expect(await get('/local/contacts/lee%40example.com')).toMatchObject({ contact: 'lee@example.com' });
  });

  it('tells an open event stream about each change as it happens', async () => {
    const controller = new AbortController();
    const response = await fetch(`${pipeline.runtime.url}/local/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    await pipeline.sms('+15125550127', 'Is anyone there?');
    let received = '';
    while (!received.includes('"type":"event"')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toContain('event: change');
    expect(received).toContain('"detailType":"Lead Message Received"');
    await pipeline.settle();
  });
});
