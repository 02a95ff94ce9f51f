import { describe, expect, it } from 'vitest';
import {
  LeadOptedOut,
  LeadRouted,
  MeetingBooked,
  MeetingCancelled,
  RepResponded,
  RepResponseMissed,
} from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { providerError } from '#shared/adapters/provider-call.ts';
import { BusinessProfile, demoBusinessProfile, type Rep } from '#shared/config/business-profile.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { HeldRepNotification, Lead } from '#shared/ports/lead-store.ts';
import type { RepAlertRecord } from '#shared/ports/rep-routing.ts';
import { notifyRep, repMessage } from '../../../functions/notify/notify-rep.ts';

const lead: Lead = {
  leadId: 'ld_0123456789abcdef0123',
  contact: '+15125550123',
  channel: 'sms',
  phone: '+15125550123',
  name: 'Maria',
  timeZone: 'America/Chicago',
  status: 'engaged',
  createdAt: '2026-11-21T15:04:05.000Z',
  updatedAt: '2026-11-21T15:04:06.000Z',
  firstInboundAt: '2026-11-21T15:04:05.000Z',
  known: { need: 'Burst pipe under the kitchen sink', location: 'Round Rock', timing: 'urgent' },
  score: {
    score: 90,
    grade: 'hot',
    reasons: ['needs it urgently (+25)', 'inside the service area (+10)'],
    at: '',
  },
  assignedRepId: 'rep-a',
};

const NOON = new Date('2026-11-24T18:00:00Z');
/** 11:30pm on a Tuesday in Chicago. */
const NIGHT = new Date('2026-11-25T05:30:00Z');

const profileWith = (rep: Partial<Rep>, urgentRepAlerts: string[] = []) =>
  BusinessProfile.parse({
    ...demoBusinessProfile,
    reps: [{ id: 'rep-a', name: 'Alex', notifyVia: 'slack', slackChannel: '#leads', services: [], ...rep }],
    urgentRepAlerts,
  });

const harness = (rep: Partial<Rep>) => {
  const sent = {
    slack: [] as unknown[],
    email: [] as unknown[],
    sms: [] as unknown[],
    held: [] as HeldRepNotification[],
    events: [] as unknown[],
    alerts: [] as RepAlertRecord[],
  };
  const publisher: EventPublisher = {
    publish: async (event, detail) => {
      sent.events.push({ type: event.detailType, detail });
    },
  };
  const deps = {
    store: {
      getLead: async (id: string) => (id === lead.leadId ? lead : undefined),
      holdRepNotification: async (n: HeldRepNotification) => {
        sent.held.push(n);
      },
    },
    alerts: {
      recordAlert: async (alert: RepAlertRecord) => {
        sent.alerts.push(alert);
      },
    },
    channels: {
      chat: {
        post: async (m: unknown) => {
          sent.slack.push(m);
        },
      },
      email: {
        send: async (m: unknown) => {
          sent.email.push(m);
          return { providerMessageId: 'e1' };
        },
      },
      sms: {
        send: async (m: unknown) => {
          sent.sms.push(m);
          return { providerMessageId: 's1' };
        },
      },
      identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
    },
    publisher,
    profile: profileWith(rep),
    // Noon in Chicago, the demo business's zone.
    now: () => NOON,
  };
  return { sent, deps };
};

describe('telling the rep', () => {
  it('posts a hot lead to the rep’s Slack channel with who, how to reach them, what and why', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#hot-leads' });
    await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) },
      deps,
    );
    expect(sent.slack).toHaveLength(1);
    const post = sent.slack[0] as { channel: string; text: string };
    expect(post.channel).toBe('#hot-leads');
    expect(post.text).toContain('Maria');
    expect(post.text).toContain('+15125550123');
    expect(post.text).toContain('Burst pipe');
    expect(post.text).toContain('urgently');
    expect(sent.events).toEqual([
      expect.objectContaining({
        type: 'Rep Notified',
        detail: expect.objectContaining({ via: 'slack', reason: 'hot-lead' }),
      }),
    ]);
  });

  it('emails a booked meeting to a rep who chose email', async () => {
    const { sent, deps } = harness({ notifyVia: 'email', email: 'alex@brightside.example' });
    await notifyRep(
      { detailType: 'Meeting Booked', detail: sampleDetail(MeetingBooked, { repId: 'rep-a' }) },
      deps,
    );
    const email = sent.email[0] as { to: string; subject: string };
    expect(email.to).toBe('alex@brightside.example');
    expect(email.subject).toMatch(/^Meeting booked: Maria, Mon Nov 23, 9:00 AM CST/);
  });

  it('texts a rep who chose SMS', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) },
      deps,
    );
    expect(sent.sms).toEqual([expect.objectContaining({ to: '+15125550999', from: '+15125550100' })]);
  });

  it('gives Slack a card with the score, contact and need, and mentions the rep', async () => {
    const { sent, deps } = harness({
      notifyVia: 'slack',
      slackChannel: '#hot-leads',
      slackUserId: 'U0123ABCD',
    });
    await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) },
      deps,
    );
    expect(sent.slack[0]).toMatchObject({
      channel: '#hot-leads',
      mentionUserId: 'U0123ABCD',
      card: {
        title: 'Hot lead: Maria (score 90)',
        fields: expect.arrayContaining([
          { label: 'Contact', value: '+15125550123' },
          { label: 'Need', value: 'Burst pipe under the kitchen sink' },
          { label: 'Location', value: 'Round Rock' },
        ]),
        lines: [expect.stringContaining('needs it urgently'), 'Call them now.'],
      },
    });
  });

  it('refuses a Slack member id that is not one', () => {
    expect(() => profileWith({ slackUserId: '@dana' })).toThrow(/Slack member id/);
  });

  it('drops, as permanent and naming the rep, a notification the provider refuses for good', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15005550001' });
    deps.channels.sms.send = async () => {
      throw providerError({ provider: 'Twilio', status: 400, message: 'invalid To number (21211)' });
    };
    const error = await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) },
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      'Rep rep-a could not be notified by sms: Twilio 400: invalid To number (21211)',
    );
    expect(sent.events).toEqual([]);
  });

  it('lets a transient provider failure through, so SQS retries the notification', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads' });
    deps.channels.chat.post = async () => {
      throw providerError({ provider: 'Slack', status: 429, retryAfter: '30', message: 'rate_limited' });
    };
    await expect(
      notifyRep({ detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) }, deps),
    ).rejects.toThrow(TransientError);
    expect(sent.events).toEqual([]);
  });

  it('drops, as permanent, a notification the rep has no address for', async () => {
    const { deps } = harness({ notifyVia: 'email' });
    await expect(
      notifyRep({ detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) }, deps),
    ).rejects.toThrow(PermanentError);
  });

  describe("the rep's notify hours", () => {
    const hotLead = {
      detailType: 'Lead Routed' as const,
      detail: sampleDetail(LeadRouted, { repId: 'rep-a' }),
    };

    it('holds a text to the rep at night until the start of their hours, and announces nothing yet', async () => {
      const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
      const outcome = await notifyRep(hotLead, { ...deps, now: () => NIGHT });
      expect(outcome.heldUntil).toBe('2026-11-25T14:00:00.000Z');
      expect(sent.sms).toEqual([]);
      expect(sent.events).toEqual([]);
      expect(sent.held).toEqual([
        expect.objectContaining({ repId: 'rep-a', to: '+15125550999', sendAt: '2026-11-25T14:00:00.000Z' }),
      ]);
    });

    it("reads the rep's own hours in the rep's own zone", async () => {
      const { sent, deps } = harness({
        notifyVia: 'sms',
        phone: '+15125550999',
        notifyHours: { start: '06:00', end: '23:45' },
        timeZone: 'America/New_York',
      });
      // 00:30 in New York: held until 06:00 there.
      const outcome = await notifyRep(hotLead, { ...deps, now: () => NIGHT });
      expect(outcome.heldUntil).toBe('2026-11-25T11:00:00.000Z');
      expect(sent.sms).toEqual([]);
    });

    it('texts at night what the business marked urgent', async () => {
      const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
      deps.profile = profileWith({ notifyVia: 'sms', phone: '+15125550999' }, ['urgent-lead']);
      // The lead needs it today (timing: urgent).
      await notifyRep(hotLead, { ...deps, now: () => NIGHT });
      expect(sent.sms).toHaveLength(1);
      expect(sent.held).toEqual([]);
    });

    it('does not hold Slack or email: they wake nobody', async () => {
      const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads' });
      await notifyRep(hotLead, { ...deps, now: () => NIGHT });
      expect(sent.slack).toHaveLength(1);
    });
  });
});

describe('what the rep reads', () => {
  const profile = BusinessProfile.parse({
    ...demoBusinessProfile,
    services: [{ name: 'AC repair', keywords: ['ac'] }],
  });
  const hot = sampleDetail(LeadRouted, { repId: 'rep-a' });
  const reasons = [
    'enquiry (base 20)',
    'asks for a service we offer: AC repair (+15)',
    'said what they need (+5)',
    'wants it today or as soon as possible (+25)',
    'inside the service area (+10)',
    'wants a meeting (+20)',
    'gave their name (+5)',
    'capped at 100 (reasons add up to 100)',
  ];

  it('lists every reason of the score and keeps the service as the profile writes it', () => {
    const message = repMessage(
      { detailType: 'Lead Routed', detail: hot },
      {
        ...lead,
        known: { ...lead.known, service: 'ac repair' },
        score: { score: 100, grade: 'hot', reasons, at: '' },
      },
      profile,
    );
    for (const reason of reasons) expect(message.text).toContain(reason);
    expect(message.text).toContain('AC repair');
    expect(message.text).not.toContain('ac repair');
    expect(message.card.fields).toContainEqual({ label: 'Service', value: 'AC repair' });
  });

  it('tells the rep the lead’s time zone and calling hours when it is not the business’s', () => {
    const hawaii: Lead = {
      ...lead,
      phone: '+18085550123',
      contact: '+18085550123',
      timeZone: 'Pacific/Honolulu',
      localTime: { zones: ['Pacific/Honolulu'], regions: ['HI'], source: 'area-code' },
    };
    const at = new Date('2026-12-01T14:00:00Z');
    const message = repMessage({ detailType: 'Lead Routed', detail: hot }, hawaii, profile, { at });
    expect(message.text).toContain('Call them now. They are on Hawaii-Aleutian Standard Time');
    expect(message.text).toContain('call between 8 AM and 9 PM their time');
    expect(message.card.lines?.join('\n')).toContain('Hawaii-Aleutian Standard Time');
    // A lead in the business's own zone needs no such line.
    const local = repMessage({ detailType: 'Lead Routed', detail: hot }, lead, profile, { at });
    expect(local.text).not.toContain('their time');
  });

  it('asks for an email to a lead with no phone, not a call', () => {
    const { phone: _phone, ...emailOnly } = lead;
    const message = repMessage(
      { detailType: 'Lead Routed', detail: hot },
      { ...emailOnly, channel: 'email', contact: 'kim@example.com', email: 'kim@example.com' },
      profile,
    );
    expect(message.text).not.toContain('Call them now');
    expect(message.text).toContain('Email them now');
    expect(message.card.lines).not.toContain('Call them now.');
  });

  it('heads an emergency as one, and says the language a lead writes in', () => {
    const message = repMessage(
      {
        detailType: 'Lead Routed',
        detail: sampleDetail(LeadRouted, { repId: 'rep-a', reason: 'emergency' }),
      },
      { ...lead, known: { ...lead.known, urgency: 'emergency', language: 'es' } },
      profile,
    );
    expect(message.subject).toMatch(/^EMERGENCY: Maria/);
    expect(message.text).toContain('writes in Spanish');
  });

  it('tells the rep a meeting was cancelled or moved, and records why', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads' });
    await notifyRep(
      { detailType: 'Meeting Cancelled', detail: sampleDetail(MeetingCancelled, { repId: 'rep-a' }) },
      deps,
    );
    await notifyRep(
      {
        detailType: 'Meeting Cancelled',
        detail: sampleDetail(MeetingCancelled, { repId: 'rep-a', reason: 'rescheduled' }),
      },
      deps,
    );
    expect(sent.slack.map((post) => (post as { text: string }).text)).toEqual([
      expect.stringMatching(/^Meeting cancelled: Maria/),
      expect.stringMatching(/^Meeting moved: Maria/),
    ]);
    expect(sent.events).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reason: 'meeting-cancelled' }) }),
      expect.objectContaining({ detail: expect.objectContaining({ reason: 'meeting-moved' }) }),
    ]);
  });
});

describe('alerts that carry a response clock', () => {
  it('tells an SMS rep how to answer, with the lead’s reference, and keeps the alert for the answer', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a' }) },
      deps,
    );
    const body = (sent.sms[0] as { body: string }).body;
    expect(body).toContain('Reply OK 0123 within 5 min to take the lead, or TAKE 0123 to text them yourself');
    expect(sent.alerts).toEqual([
      expect.objectContaining({ repId: 'rep-a', leadId: lead.leadId, reference: '0123', reason: 'hot-lead' }),
    ]);
  });

  it('tells a Slack rep with a phone which number to text, and says whom the lead passed from', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads', phone: '+15125550999' });
    deps.profile = BusinessProfile.parse({
      ...demoBusinessProfile,
      reps: [
        { id: 'rep-a', name: 'Alex', notifyVia: 'slack', slackChannel: '#leads', phone: '+15125550999' },
        { id: 'rep-b', name: 'Bea', notifyVia: 'email', email: 'bea@brightside.example' },
      ],
    });
    await notifyRep(
      {
        detailType: 'Lead Routed',
        detail: sampleDetail(LeadRouted, { repId: 'rep-a', attempt: 2, previousRepId: 'rep-b' }),
      },
      deps,
    );
    const text = (sent.slack[0] as { text: string }).text;
    expect(text).toContain('Passed on to you: Bea did not answer within 5 min.');
    expect(text).toContain('Text +15125550100 OK 0123 within 5 min');
  });

  it('says nothing about answering to a rep who cannot text back', async () => {
    const { sent, deps } = harness({ notifyVia: 'email', email: 'alex@brightside.example' });
    await notifyRep(
      { detailType: 'Lead Routed', detail: sampleDetail(LeadRouted, { repId: 'rep-a', responseMinutes: 0 }) },
      deps,
    );
    expect((sent.email[0] as { text: string }).text).not.toMatch(/OK|TAKE/);
  });

  it('tells the manager, on their channel, that a rep let the time run out and where the lead went', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads' });
    deps.profile = BusinessProfile.parse({
      ...demoBusinessProfile,
      reps: [
        { id: 'rep-a', name: 'Alex', notifyVia: 'slack', slackChannel: '#leads' },
        { id: 'rep-b', name: 'Bea', notifyVia: 'slack', slackChannel: '#leads' },
      ],
      routing: { manager: { name: 'Morgan', notifyVia: 'sms', phone: '+15125550888' } },
    });
    const missed = sampleDetail(RepResponseMissed, { repId: 'rep-a', nextRepId: 'rep-b' });
    await notifyRep({ detailType: 'Rep Response Missed', detail: missed }, deps);
    expect(sent.sms).toEqual([
      expect.objectContaining({
        to: '+15125550888',
        body: expect.stringMatching(
          /^Alex did not answer the hot lead Maria \(\+15125550123\) within 5 min\. It went to Bea\./,
        ),
      }),
    ]);
    // The manager's alert is not a rep's: a text from the manager answers no lead.
    expect(sent.alerts).toEqual([]);
    expect(sent.events).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ repId: 'manager', reason: 'response-missed' }),
      }),
    ]);

    const { nextRepId: _next, ...lastOne } = missed;
    await notifyRep({ detailType: 'Rep Response Missed', detail: lastOne }, deps);
    expect((sent.sms[1] as { body: string }).body).toContain(
      'No rep is left to ask: please call them yourself.',
    );
  });

  it('tells nobody when the profile names no manager', async () => {
    const { sent, deps } = harness({ notifyVia: 'slack', slackChannel: '#leads' });
    const outcome = await notifyRep(
      { detailType: 'Rep Response Missed', detail: sampleDetail(RepResponseMissed, { repId: 'rep-a' }) },
      deps,
    );
    expect(outcome).toEqual({});
    expect([...sent.slack, ...sent.sms, ...sent.email, ...sent.events]).toEqual([]);
  });

  it('tells an SMS rep of a booked meeting how to report a no-show', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    await notifyRep(
      { detailType: 'Meeting Booked', detail: sampleDetail(MeetingBooked, { repId: 'rep-a' }) },
      deps,
    );
    expect((sent.sms[0] as { body: string }).body).toContain('If they do not come, reply NOSHOW 0123.');
  });
});

describe('telling the rep who has a lead what changed', () => {
  const optedOut = (detail: Partial<{ messageId: string }> = {}) => ({
    detailType: 'Lead Opted Out' as const,
    detail: sampleDetail(LeadOptedOut, { leadId: lead.leadId, ...detail }),
  });

  it('tells the rep who has the conversation that the lead opted out, and keeps no alert to answer', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    const handed: Lead = {
      ...lead,
      handedToRep: { repId: 'rep-a', at: NOON.toISOString(), messageId: 'sms-SMt' },
    };
    deps.store.getLead = async () => handed;
    const { rep } = await notifyRep(optedOut(), deps);
    expect(rep?.id).toBe('rep-a');
    const body = (sent.sms[0] as { body: string }).body;
    expect(body).toMatch(
      /^Opted out: Maria \(\+15125550123, lead 0123\) asked for no more texts\. Do not text them again/,
    );
    expect(sent.alerts).toEqual([]);
    expect(sent.events).toEqual([
      expect.objectContaining({
        type: 'Rep Notified',
        detail: expect.objectContaining({ reason: 'lead-opted-out' }),
      }),
    ]);
  });

  it('tells the rep a lead is routed to that it opted out, and nobody when no rep has it', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    const routed: Lead = {
      ...lead,
      routing: {
        messageId: 'sms-SMhot',
        correlationId: 'sms-SMhot',
        reason: 'hot-lead',
        repId: 'rep-a',
        attempt: 1,
        tried: ['rep-a'],
        routedAt: NOON.toISOString(),
        responseMinutes: 5,
      },
    };
    deps.store.getLead = async () => routed;
    expect((await notifyRep(optedOut(), deps)).rep?.id).toBe('rep-a');
    expect(sent.sms).toHaveLength(1);
    // The harness's lead has an owner by service only: no rep works it, nobody is told.
    deps.store.getLead = async () => lead;
    expect(await notifyRep(optedOut({ messageId: 'sms-SMother' }), deps)).toEqual({});
    expect(sent.sms).toHaveLength(1);
  });

  it('tells the rep a lead was routed to that another rep took it over', async () => {
    const { sent, deps } = harness({ notifyVia: 'sms', phone: '+15125550999' });
    deps.profile = BusinessProfile.parse({
      ...deps.profile,
      reps: [...deps.profile.reps, { id: 'rep-d', name: 'Dana', notifyVia: 'sms', phone: '+15125550998' }],
    });
    await notifyRep(
      {
        detailType: 'Rep Responded',
        detail: sampleDetail(RepResponded, {
          leadId: lead.leadId,
          repId: 'rep-d',
          response: 'took-over',
          releasedRepId: 'rep-a',
        }),
      },
      deps,
    );
    expect(sent.sms).toEqual([
      expect.objectContaining({
        to: '+15125550999',
        body: expect.stringContaining(
          'Lead 0123, Maria (+15125550123), is now with Dana, who took the conversation over.',
        ),
      }),
    ]);
  });
});
