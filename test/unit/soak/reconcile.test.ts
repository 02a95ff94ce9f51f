import { describe, expect, it } from 'vitest';
import type {
  LeadSnapshot,
  OutboxEntry,
  QueueSnapshot,
  StoredMessage,
} from '../../../scripts/soak/inspection.ts';
import { findLogLeaks } from '../../../scripts/soak/log-leaks.ts';
import { type MessageOutcome, type ReconcileInput, reconcile } from '../../../scripts/soak/reconcile.ts';

// Small hand-made runs: two contacts, a few messages, each check shown to catch its failure.
const PHONE = '+15125550123';
const EMAIL = 'jane.doe@example.com';
const T0 = Date.parse('2026-11-29T12:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

const sent = (
  id: string,
  overrides: Partial<MessageOutcome> & Pick<MessageOutcome, 'contact'>,
): MessageOutcome => ({
  key: id,
  channel: overrides.contact.includes('@') ? 'email' : 'sms',
  expectedMessageId: `msg-${id}`,
  body: `words of ${id}`,
  role: 'opener',
  forged: false,
  acceptedAt: T0,
  ...overrides,
});

const inbound = (id: string, atMs: number, overrides: Partial<StoredMessage> = {}): StoredMessage => ({
  messageId: `msg-${id}`,
  direction: 'in',
  channel: 'sms',
  body: `words of ${id}`,
  at: iso(atMs),
  status: 'received',
  ...overrides,
});

const reply = (answering: string, atMs: number, providerMessageId: string, body = `answer to ${answering}`) =>
  ({
    messageId: `out-${answering}-${providerMessageId}`,
    direction: 'out',
    channel: 'sms',
    body,
    at: iso(atMs),
    status: 'sent',
    inReplyTo: `msg-${answering}`,
    providerMessageId,
  }) satisfies StoredMessage;

const text = (to: string, atMs: number, providerMessageId: string, body: string): OutboxEntry => ({
  id: `ob-${providerMessageId}`,
  kind: to.includes('@') ? 'email' : 'sms',
  to,
  body,
  at: iso(atMs),
  details: { providerMessageId },
});

const crm = (leadId: string, crmId: string, atMs: number): OutboxEntry => ({
  id: `crm-${crmId}-${atMs}`,
  kind: 'crm',
  to: `sandbox:${crmId}`,
  body: 'create lead',
  at: iso(atMs),
  details: { crmId, created: true, record: { externalId: leadId } },
});

const queues = (overrides: Partial<QueueSnapshot> = {}): QueueSnapshot[] => [
  { subscriber: 'qualify', visible: 0, inFlight: 0, delayed: 0, deadLettered: 0, ...overrides },
  { subscriber: 'auto-respond', visible: 0, inFlight: 0, delayed: 0, deadLettered: 0 },
];

/** The reconciliation's input, with lists a test can add to. */
type Run = {
  [K in keyof ReconcileInput]: ReconcileInput[K] extends ReadonlyArray<infer T> ? T[] : ReconcileInput[K];
};

/** A clean run: one SMS and one email lead, each message answered once, one CRM record each. */
const cleanRun = (): Run => {
  const leads: LeadSnapshot[] = [
    {
      leadId: 'ld_phone',
      contact: PHONE,
      messages: [inbound('a', 0), reply('a', 500, 'SM1'), inbound('b', 2000), reply('b', 2500, 'SM2')],
    },
    {
      leadId: 'ld_email',
      contact: EMAIL,
      messages: [inbound('e', 0, { channel: 'email' }), { ...reply('e', 700, 'E1'), channel: 'email' }],
    },
  ];
  return {
    messages: [
      sent('a', { contact: PHONE, acceptedAt: T0 }),
      sent('b', { contact: PHONE, acceptedAt: T0 + 2000, role: 'question' }),
      sent('e', { contact: EMAIL, acceptedAt: T0 }),
    ],
    leads,
    outbox: [
      text(PHONE, 500, 'SM1', 'answer to a'),
      text(PHONE, 2500, 'SM2', 'answer to b'),
      text(EMAIL, 700, 'E1', 'answer to e'),
      // A rep's notification goes to the rep, not to a soak contact: not an answer.
      text('+15125559999', 800, 'SM9', 'Hot lead: +1512***0123'),
      crm('ld_phone', 'crm-1', 600),
      crm('ld_phone', 'crm-1', 2600),
      crm('ld_email', 'crm-2', 800),
    ],
    queues: queues(),
    log: '{"level":"INFO","message":"SMS received","from":"+1512***0123"}\n',
    secrets: [{ label: 'Twilio auth token', value: 'tok-secret-123' }],
  };
};

const counts = (input: ReconcileInput) => reconcile(input).counts;

describe('reconcile', () => {
  it('counts nothing on a clean run', () => {
    const result = reconcile(cleanRun());
    expect(Object.values(result.counts).every((n) => n === 0)).toBe(true);
    expect(result.stats).toMatchObject({ accepted: 3, storedInbound: 3, sendsToContacts: 3, crmRecords: 2 });
  });

  it('counts an accepted message that was never stored as lost, and not one that was refused', () => {
    const run = cleanRun();
    run.messages = [
      ...run.messages,
      sent('c', { contact: PHONE }),
      sent('d', { contact: PHONE, acceptedAt: undefined }),
    ];
    const result = reconcile(run);
    expect(result.counts.lost).toBe(1);
    expect(result.findings.lost[0]).toContain('c (opener)');
  });

  it('finds a message stored under another id by its lead and its words', () => {
    const run = cleanRun();
    run.messages = run.messages.map((m) =>
      m.key === 'a' ? { ...m, expectedMessageId: 'sms-other-scheme' } : m,
    );
    const result = reconcile(run);
    expect(result.counts.lost).toBe(0);
    expect(result.warnings).toEqual([expect.stringContaining('sms-other-scheme')]);
  });

  it('counts a stored message with no reply and no reason, but not one held, suppressed or superseded', () => {
    const run = cleanRun();
    const phoneLead = run.leads[0]!;
    phoneLead.messages.push(
      inbound('c', 3000),
      inbound('d', 3100),
      inbound('f', 3200, { status: 'superseded' }),
    );
    phoneLead.messages.push({
      ...reply('d', 3300, 'SM4'),
      status: 'suppressed',
      reason: 'the contact opted out',
    });
    run.messages = [
      ...run.messages,
      sent('c', { contact: PHONE }),
      sent('d', { contact: PHONE }),
      sent('f', { contact: PHONE }),
    ];
    const result = reconcile(run);
    expect(result.counts.unanswered).toBe(1);
    expect(result.findings.unanswered[0]).toContain('msg-c');
  });

  it('counts an inbound message answered twice (first-reply, then follow-up-reply)', () => {
    const run = cleanRun();
    run.leads[0]!.messages.push({
      ...reply('a', 900, 'SM3', 'follow-up to a'),
      messageId: 'out-follow-up-reply-a',
    });
    run.outbox.push(text(PHONE, 900, 'SM3', 'follow-up to a'));
    const result = reconcile(run);
    expect(result.counts.answeredTwice).toBe(1);
    expect(result.findings.answeredTwice[0]).toContain('msg-a answered 2 times');
    expect(result.counts.unknownSends).toBe(0);
  });

  it('counts a text handed to the provider that no stored message records (a send repeated after a crash)', () => {
    const run = cleanRun();
    run.outbox.push(text(PHONE, 450, 'SM0', 'answer to a, sent before the crash'));
    expect(counts(run).unknownSends).toBe(1);
  });

  it('matches a send to its stored message by words when the provider id is missing, once only', () => {
    const run = cleanRun();
    run.outbox = run.outbox.map((e) => (e.details.providerMessageId === 'SM1' ? { ...e, details: {} } : e));
    expect(counts(run).unknownSends).toBe(0);
    run.outbox.push({ ...text(PHONE, 510, 'x', 'answer to a'), details: {} });
    expect(counts(run).unknownSends).toBe(1);
  });

  describe('bursts', () => {
    /** Hello / leaky faucet / Austin, accepted within 300 ms; answers at the given times to the given messages. */
    const burstRun = (answers: Array<[string, number]>, lateMs?: number) => {
      const run = cleanRun();
      const lead = run.leads[0]!;
      lead.messages = [inbound('h1', 10_000), inbound('h2', 10_150), inbound('h3', 10_300)];
      run.messages = [
        ...run.messages.filter((m) => m.contact !== PHONE),
        sent('h1', { contact: PHONE, burst: 'b1', role: 'burst', acceptedAt: T0 + 10_000 }),
        sent('h2', { contact: PHONE, burst: 'b1', role: 'burst', acceptedAt: T0 + 10_150 }),
        sent('h3', { contact: PHONE, burst: 'b1', role: 'burst', acceptedAt: T0 + (lateMs ?? 10_300) }),
      ];
      run.outbox = run.outbox.filter((e) => e.to !== PHONE);
      answers.forEach(([id, atMs], i) => {
        lead.messages.push(reply(id, atMs, `SMb${i}`));
        run.outbox.push(text(PHONE, atMs, `SMb${i}`, `answer to ${id}`));
      });
      for (const m of lead.messages.filter(
        (m) => m.direction === 'in' && !answers.some(([id]) => `msg-${id}` === m.messageId),
      ))
        m.status = 'superseded';
      return run;
    };

    it('counts a burst that got two answers', () => {
      const result = reconcile(
        burstRun([
          ['h1', 11_000],
          ['h3', 11_500],
        ]),
      );
      expect(result.counts.burstsAnsweredTwice).toBe(1);
      expect(result.findings.burstsAnsweredTwice[0]).toContain('got 2 answers');
      expect(result.counts.answeredTwice).toBe(0);
    });

    it('counts nothing for a burst answered once, the others superseded', () => {
      const result = reconcile(burstRun([['h3', 12_000]]));
      expect(result.counts.burstsAnsweredTwice).toBe(0);
      expect(result.counts.unanswered).toBe(0);
      expect(result.stats.burstsEvaluated).toBe(1);
    });

    it('leaves out a message of the burst accepted only after the first answer went out (a retry)', () => {
      const result = reconcile(
        burstRun(
          [
            ['h2', 11_000],
            ['h3', 40_000],
          ],
          39_000,
        ),
      );
      expect(result.counts.burstsAnsweredTwice).toBe(0);
    });
  });

  it('counts texts handed over after the STOP was answered 200, except the one confirmation', () => {
    const run = cleanRun();
    const lead = run.leads[0]!;
    lead.messages.push(
      inbound('stop', 5000, { body: 'STOP' }),
      reply('stop', 5400, 'SMc', 'You are unsubscribed'),
    );
    lead.messages.push(reply('b', 5300, 'SMlate', 'answer to b again'));
    run.messages.push(sent('stop', { contact: PHONE, role: 'stop', body: 'STOP', acceptedAt: T0 + 5000 }));
    run.outbox.push(
      text(PHONE, 5300, 'SMlate', 'answer to b again'),
      text(PHONE, 5400, 'SMc', 'You are unsubscribed'),
    );
    const result = reconcile(run);
    expect(result.counts.textsAfterStop).toBe(1);
    expect(result.findings.textsAfterStop[0]).toContain('300 ms after');
  });

  it('does not count a text handed over before the STOP got its 200', () => {
    const run = cleanRun();
    run.leads[0]!.messages.push(inbound('stop', 2600, { body: 'STOP' }), reply('stop', 2700, 'SMc'));
    run.messages.push(sent('stop', { contact: PHONE, role: 'stop', body: 'STOP', acceptedAt: T0 + 2600 }));
    run.outbox.push(text(PHONE, 2700, 'SMc', 'answer to stop'));
    expect(counts(run).textsAfterStop).toBe(0);
  });

  it('counts a follow-up handed over after the lead wrote since the text it follows, not one before', () => {
    const run = cleanRun();
    const followUp = (step: number, providerMessageId: string): StoredMessage => ({
      messageId: `out-fu${step}-out-b-SM2`,
      direction: 'out',
      channel: 'sms',
      body: 'Hi, just following up',
      // Composed before the lead wrote (held for the calling window), handed over after.
      at: iso(3000),
      status: 'sent',
      inReplyTo: `fu${step}-out-b-SM2`,
      purpose: `follow-up-${step}`,
      providerMessageId,
    });
    run.leads[0]!.messages.push(followUp(1, 'SMf1'));
    run.outbox.push(text(PHONE, 4000, 'SMf1', 'Hi, just following up'));
    expect(counts(run).followUpsAfterReply).toBe(0);

    run.leads[0]!.messages.push(inbound('c', 5000), followUp(2, 'SMf2'));
    run.messages.push(sent('c', { contact: PHONE, acceptedAt: T0 + 5000 }));
    run.leads[0]!.messages.push(reply('c', 5100, 'SM3'));
    run.outbox.push(
      text(PHONE, 5100, 'SM3', 'answer to c'),
      text(PHONE, 6000, 'SMf2', 'Hi, just following up'),
    );
    const result = reconcile(run);
    expect(result.counts.followUpsAfterReply).toBe(1);
    expect(result.findings.followUpsAfterReply[0]).toContain('follow-up-2');
  });

  it('counts a lead with two CRM records, not one record written twice', () => {
    const run = cleanRun();
    run.outbox.push(crm('ld_email', 'crm-3', 900));
    const result = reconcile(run);
    expect(result.counts.duplicateCrmRecords).toBe(1);
    expect(result.findings.duplicateCrmRecords[0]).toContain('ld_email: 2 records');
  });

  it('counts an inbound message stored twice', () => {
    const run = cleanRun();
    run.leads[0]!.messages.push(inbound('a', 9000));
    expect(counts(run).storedTwice).toBe(1);
  });

  it('adds up dead-lettered and still queued messages', () => {
    const run = cleanRun();
    run.queues = queues({ deadLettered: 2, visible: 1, inFlight: 1 });
    run.queues[1]!.deadLettered = 1;
    expect(counts(run)).toMatchObject({ deadLettered: 3, stillQueued: 2 });
  });

  it('counts log lines with a contact or a secret in clear', () => {
    const run = cleanRun();
    run.log = [
      '{"message":"SMS received","from":"+1512***0123"}',
      '{"message":"SMS received","from":"+15125550123"}',
      '{"message":"lookup","phone":"5125550123"}',
      '{"message":"Email received","from":"Jane.Doe@Example.com"}',
      '{"message":"call","token":"tok-secret-123"}',
      '{"message":"not the contact","phone":"15125550123999"}',
    ].join('\n');
    const result = reconcile(run);
    expect(result.counts.logLeaks).toBe(4);
    expect(result.findings.logLeaks.join('\n')).not.toContain('tok-secret-123');
    expect(result.findings.logLeaks.join('\n')).toContain('Twilio auth token');
  });

  it('counts a forged request that was accepted or left a message or a lead', () => {
    const run = cleanRun();
    run.messages.push(
      sent('x', { contact: '+15125550199', forged: true, acceptedAt: undefined }),
      sent('y', { contact: '+15125550198', forged: true, acceptedAt: T0 }),
      sent('z', { contact: PHONE, forged: true, acceptedAt: undefined }),
    );
    run.leads[0]!.messages.push(inbound('z', 100));
    const result = reconcile(run);
    expect(result.counts.forgedTraces).toBe(2);
    expect(result.findings.forgedTraces.join('\n')).toMatch(/y: answered 2xx[\s\S]*z: message stored/);
  });
});

describe('findLogLeaks', () => {
  it('skips the start banner, which shows the Inbound Parse URL with its password on purpose', () => {
    const log = [
      'Leadline is running locally on http://localhost:3000',
      '  SendGrid Inbound Parse:           POST http://soak:pw-123@localhost:3000/webhooks/sendgrid/inbound',
      'Health:   http://localhost:3000/health',
      '{"message":"oops","url":"http://soak:pw-123@localhost"}',
    ].join('\n');
    expect(findLogLeaks(log, [{ label: 'password', value: 'pw-123' }])).toEqual([
      { line: 4, label: 'password' },
    ]);
  });
});
