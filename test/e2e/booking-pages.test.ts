import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { calComSignature, calendlySignature } from '#shared/inbound/booking-page-signature.ts';
import { nextTuesdayAt, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const PAGE = 'https://calendly.com/brightside-plumbing/estimate';
const SIGNING_KEY = 'calendly-signing-key-for-tests-0123';
const CAL_SECRET = 'cal-com-secret-for-tests-0123456';
const HOUR = 3_600_000;

describe('booking pages close the loop, on the local runtime', () => {
  let pipeline: TestPipeline;
  const leadOf = async (phone: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${pipeline.runtime.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const calendly = (event: string, payload: Record<string, unknown>, at = Math.floor(Date.now() / 1000)) => {
    const body = JSON.stringify({ event, created_at: new Date().toISOString(), payload });
    return post('/webhooks/calendly', body, {
      'calendly-webhook-signature': calendlySignature(body, SIGNING_KEY, at),
    });
  };
  const calCom = (triggerEvent: string, payload: Record<string, unknown>) => {
    const body = JSON.stringify({ triggerEvent, createdAt: new Date().toISOString(), payload });
    return post('/webhooks/cal-com', body, { 'x-cal-signature-256': calComSignature(body, CAL_SECRET) });
  };

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      env: {
        CALENDAR_PROVIDER: 'booking-link',
        BOOKING_LINK_URL: PAGE,
        CALENDLY_WEBHOOK_SIGNING_KEY: SIGNING_KEY,
        CALCOM_WEBHOOK_SECRET: CAL_SECRET,
      },
      clockStart: nextTuesdayAt('10:00'),
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('books the meeting a lead made on the Calendly page, once, so the rep and the reminders follow', async () => {
    const phone = '+15125550501';
    await pipeline.sms(
      phone,
      'Hi, this is Maria. I want a quote for a bathroom remodel in Austin. Can we schedule a call?',
    );
    await pipeline.settle();
    const leadId = leadIdForContact(phone);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === phone,
    );
    expect(texts[0]?.body).toContain(`utm_content=${leadId}`);

    const start = new Date(pipeline.runtime.clock.now().getTime() + 48 * HOUR).toISOString();
    const invitee = {
      uri: 'https://api.calendly.com/scheduled_events/EV1/invitees/IN1',
      email: 'maria.lopez@example.com',
      name: 'Maria Lopez',
      rescheduled: false,
      tracking: { utm_content: leadId, utm_source: null },
      scheduled_event: { start_time: start, end_time: new Date(Date.parse(start) + HOUR / 2).toISOString() },
    };
    expect((await calendly('invitee.created', invitee)).status).toBe(200);
    expect((await calendly('invitee.created', invitee)).status).toBe(200);
    await pipeline.settle();

    const lead = await leadOf(phone);
    expect(lead?.meetings).toHaveLength(1);
    expect(lead?.meetings[0]).toMatchObject({ start, bookedVia: 'calendly' });
    expect(lead?.stage).toBe('booked');
    expect(pipeline.runtime.schedules.list().filter((s) => s.Name.startsWith(`rm-${leadId}`))).toHaveLength(
      3,
    );
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(
      outbox.filter((e) => e.kind === 'slack' && e.body.startsWith('Meeting booked with Maria')),
    ).toHaveLength(1);
    // The page confirmed it: Leadline texts no confirmation of its own.
    expect(outbox.filter((e) => e.kind === 'sms' && e.to === phone)).toHaveLength(texts.length);

    expect((await calendly('invitee.canceled', { ...invitee, rescheduled: false })).status).toBe(200);
    await pipeline.settle();
    expect((await leadOf(phone))?.meetings[0]?.cancelled?.reason).toBe('cancelled');
    expect(pipeline.runtime.schedules.list().filter((s) => s.Name.startsWith(`rm-${leadId}`))).toHaveLength(
      0,
    );
  });

  it('makes a lead of someone who booked straight on the Calendly page, reminded by email', async () => {
    const email = 'new.visitor@example.com';
    const phone = '+15125550511';
    const start = new Date(pipeline.runtime.clock.now().getTime() + 48 * HOUR).toISOString();
    const invitee = {
      uri: 'https://api.calendly.com/scheduled_events/EV9/invitees/IN9',
      email,
      name: 'Nora Visitor',
      text_reminder_number: phone,
      rescheduled: false,
      tracking: { utm_content: null },
      scheduled_event: { start_time: start, end_time: new Date(Date.parse(start) + HOUR / 2).toISOString() },
    };
    expect((await calendly('invitee.created', invitee)).status).toBe(200);
    await pipeline.settle();

    const lead = await leadOf(phone);
    expect(lead).toMatchObject({ source: 'calendly', phone, email, name: 'Nora Visitor', channel: 'email' });
    expect(lead?.leadId).toBe(leadIdForContact(phone));
    expect(lead?.meetings).toHaveLength(1);
    expect(lead?.stage).toBe('booked');
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(
      outbox.filter((e) => e.kind === 'slack' && e.body.startsWith('Meeting booked with Nora')),
    ).toHaveLength(1);

    // The reminder the day before goes by email: they never texted the business.
    await pipeline.advance(25 * HOUR);
    const after = await pipeline.runtime.inspector.outbox();
    expect(after.filter((e) => e.kind === 'sms' && e.to === phone)).toHaveLength(0);
    expect(after.filter((e) => e.kind === 'email' && e.to === email).length).toBeGreaterThan(0);
    expect(after.filter((e) => e.kind === 'crm' && e.body.includes('Nora Visitor')).length).toBeGreaterThan(
      0,
    );
  });

  it('makes a lead of a Cal.com booking from nobody Leadline knows, and ignores a cancellation it never saw', async () => {
    const email = 'walk.in@example.com';
    const start = new Date(pipeline.runtime.clock.now().getTime() + 30 * HOUR).toISOString();
    const end = new Date(Date.parse(start) + HOUR / 2).toISOString();
    const attendees = [{ email, name: 'Walter In', timeZone: 'America/Chicago' }];
    expect(
      (await calCom('BOOKING_CREATED', { uid: 'bk-new-1', startTime: start, endTime: end, attendees }))
        .status,
    ).toBe(200);
    expect(
      (
        await calCom('BOOKING_CANCELLED', {
          uid: 'bk-never-seen',
          startTime: start,
          endTime: end,
          attendees: [{ email: 'stranger@example.com', name: 'Stranger' }],
        })
      ).status,
    ).toBe(200);
    await pipeline.settle();
    const leads = await pipeline.runtime.inspector.leads();
    expect(leads.find((l) => l.contact === email)).toMatchObject({
      source: 'cal-com',
      channel: 'email',
      stage: 'booked',
      name: 'Walter In',
    });
    expect(leads.find((l) => l.contact === 'stranger@example.com')).toBeUndefined();
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });

  it('texts no reminder to someone who booked with a phone only and never texted the business', async () => {
    const phone = '+15125550512';
    const start = new Date(pipeline.runtime.clock.now().getTime() + 30 * HOUR).toISOString();
    const end = new Date(Date.parse(start) + HOUR / 2).toISOString();
    const attendees = [{ name: 'Pat Phone', phoneNumber: phone }];
    expect(
      (await calCom('BOOKING_CREATED', { uid: 'bk-phone-1', startTime: start, endTime: end, attendees }))
        .status,
    ).toBe(200);
    await pipeline.settle();
    expect(await leadOf(phone)).toMatchObject({ source: 'cal-com', channel: 'sms', stage: 'booked' });
    await pipeline.advance(31 * HOUR);
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.filter((e) => e.kind === 'sms' && e.to === phone)).toHaveLength(0);
    expect(
      outbox.filter((e) => e.kind === 'slack' && e.body.startsWith('Meeting booked with Pat')),
    ).toHaveLength(1);
  });

  it('refuses Calendly posts with a wrong or an old signature', async () => {
    const body = JSON.stringify({ event: 'invitee.created', payload: {} });
    expect(
      (await post('/webhooks/calendly', body, { 'calendly-webhook-signature': 't=1,v1=00' })).status,
    ).toBe(403);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(
      (
        await post('/webhooks/calendly', body, {
          'calendly-webhook-signature': calendlySignature(body, SIGNING_KEY, old),
        })
      ).status,
    ).toBe(401);
    expect((await post('/webhooks/cal-com', body, { 'x-cal-signature-256': 'ab'.repeat(32) })).status).toBe(
      403,
    );
  });

  it('follows a Cal.com booking matched by the invitee phone, and its move', async () => {
    const phone = '+15125550502';
    await pipeline.sms(phone, 'Do you do water heater installs in Round Rock?');
    await pipeline.settle();
    const start = new Date(pipeline.runtime.clock.now().getTime() + 30 * HOUR).toISOString();
    const end = new Date(Date.parse(start) + HOUR / 2).toISOString();
    const attendees = [
      { email: 'sam@example.com', name: 'Sam', phoneNumber: phone, timeZone: 'America/Chicago' },
    ];
    expect(
      (await calCom('BOOKING_CREATED', { uid: 'bk-1', startTime: start, endTime: end, attendees })).status,
    ).toBe(200);
    await pipeline.settle();
    const moved = new Date(Date.parse(start) + 24 * HOUR).toISOString();
    const movedEnd = new Date(Date.parse(moved) + HOUR / 2).toISOString();
    expect(
      (
        await calCom('BOOKING_RESCHEDULED', {
          uid: 'bk-2',
          rescheduleUid: 'bk-1',
          startTime: moved,
          endTime: movedEnd,
          attendees,
        })
      ).status,
    ).toBe(200);
    await pipeline.settle();
    const meetings = (await leadOf(phone))?.meetings ?? [];
    expect(meetings).toHaveLength(2);
    expect(meetings.find((m) => m.start === start)?.cancelled?.reason).toBe('rescheduled');
    expect(meetings.find((m) => m.start === moved)?.cancelled).toBeUndefined();
    expect((await leadOf(phone))?.stage).toBe('booked');
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
