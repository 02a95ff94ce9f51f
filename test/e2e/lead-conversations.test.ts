import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

/** The conversations of issue 11, as a lead would have them, on the local runtime with no model. */
describe('conversations a business would sign, on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const leadOf = async (contact: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact);
  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);
  const slackAbout = async (contact: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'slack' && e.body.includes(contact));
  const say = async (phone: string, body: string) => {
    expect((await pipeline.sms(phone, body)).status).toBe(200);
    await pipeline.settle();
  };

  it('treats water pouring through a ceiling as a hot emergency, alerts the rep and asks nothing already said', async () => {
    const phone = '+15125550601';
    await say(
      phone,
      'HELP!! Water is pouring through my ceiling from the upstairs bathroom. Round Rock. Need someone ASAP',
    );
    const lead = await leadOf(phone);
    expect(lead?.qualification).toMatchObject({ service: 'Leak repair', urgency: 'emergency' });
    expect(lead?.known).toMatchObject({ location: 'Round Rock', urgency: 'emergency' });
    expect(lead?.score?.grade).toBe('hot');
    const [reply] = await textsTo(phone);
    expect(reply?.body).toMatch(/emergency/i);
    expect(reply?.body).not.toMatch(/town|ZIP/);
    expect(reply?.body).not.toMatch(/remodel/i);
    const [alert] = await slackAbout(phone);
    expect(alert?.body).toMatch(/^EMERGENCY/);
    expect(alert?.body).toContain('Call them now.');

    // Later messages add, never erase: Tuesday does not make the emergency "this week".
    await say(phone, "I'm Jordan. Tuesday works if nobody can come before");
    const after = await leadOf(phone);
    expect(after?.known.urgency).toBe('emergency');
    expect(after?.score?.grade).toBe('hot');
    expect(after?.score?.reasons).toEqual(expect.arrayContaining(['gave their name (+5)']));
    const score = after?.score;
    const sum = (score?.reasons ?? []).reduce((total, reason) => {
      const match = /\(([+-]\d+)\)$|\(base (\d+)\)$/.exec(reason);
      return total + Number(match?.[1] ?? match?.[2] ?? 0);
    }, 0);
    expect(Math.min(100, sum)).toBe(score?.score);
  });

  it('answers a Spanish lead in Spanish without asking for what it said', async () => {
    const phone = '+15125550602';
    await say(
      phone,
      'Hola, tengo una fuga de agua debajo del fregadero. ¿Pueden venir mañana? Vivo en Pflugerville.',
    );
    const lead = await leadOf(phone);
    expect(lead?.qualification).toMatchObject({
      language: 'es',
      service: 'Leak repair',
      timing: 'this_week',
    });
    const [reply] = await textsTo(phone);
    expect(reply?.body).toMatch(/Gracias por contactar a Brightside Plumbing/);
    expect(reply?.body).toContain('Responda STOP');
    expect(reply?.body).not.toMatch(/ciudad|código postal|en qué le podemos ayudar/i);
    expect(reply?.body).not.toMatch(/Thanks|Reply/);
  });

  it('answers a question about Saturday hours from the profile, and Saturday is not when they need it', async () => {
    const phone = '+15125550603';
    await say(phone, 'What are your hours on Saturday?');
    const lead = await leadOf(phone);
    expect(lead?.qualification).toMatchObject({ questions: ['hours'], timing: 'unknown' });
    const [reply] = await textsTo(phone);
    expect(reply?.body).toContain("We're open Mon-Sat 8am-6pm CT.");
    expect(reply?.body).not.toMatch(/your name/);
  });

  it('gives a complete warm lead a next step', async () => {
    const phone = '+15125550604';
    await say(
      phone,
      "This is Ana. There's a leak under my kitchen sink in Austin, sometime next week is fine",
    );
    const [reply] = await textsTo(phone);
    expect(reply?.body).toContain('We can help with that: Leak repair.');
    expect(reply?.body).toMatch(/Would you like us to set up a call\?/);
    // "yes" to that offer asks for times.
    await say(phone, 'Yes please');
    expect((await leadOf(phone))?.offeredSlots?.length).toBeGreaterThan(0);
  });

  it('moves a booked meeting on request: the old one is released, new times offered, the rep told', async () => {
    const phone = '+15125550605';
    await say(phone, 'Hi, I want a quote for a bathroom remodel in Austin. Can we schedule a call? I am Lee');
    await say(phone, '1');
    const booked = await leadOf(phone);
    expect(booked?.status).toBe('booked');
    const first = booked?.meetings[0];
    expect(first).toBeDefined();

    await say(phone, 'Actually can we move it to Tuesday afternoon instead?');
    const moved = await leadOf(phone);
    expect(moved?.meetings.find((m) => m.meetingId === first?.meetingId)?.cancelled?.reason).toBe(
      'rescheduled',
    );
    expect(moved?.status).toBe('engaged');
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.filter((e) => e.kind === 'booking-cancelled')).toHaveLength(1);
    // New times, on a Tuesday afternoon when there are free ones.
    const offered = moved?.offeredSlots ?? [];
    expect(offered.length).toBeGreaterThan(0);
    for (const slot of offered) {
      const local = new Date(slot.start).toLocaleString('en-US', {
        timeZone: 'America/Chicago',
        weekday: 'short',
        hour: 'numeric',
        hour12: false,
      });
      expect(local).toMatch(/^Tue/);
      expect(Number(local.split(' ').at(-1))).toBeGreaterThanOrEqual(12);
    }
    const texts = await textsTo(phone);
    expect(texts.at(-1)?.body).toMatch(/is cancelled so you can pick a new time.*1\)/);
    expect((await slackAbout(phone)).map((post) => post.body)).toContainEqual(
      expect.stringMatching(/^Meeting moved/),
    );

    // Book the new time, then cancel it: cancelled in the calendar, no new times, the rep told.
    await say(phone, '1');
    expect((await leadOf(phone))?.status).toBe('booked');
    await say(phone, 'I need to cancel my appointment, something came up');
    const cancelled = await leadOf(phone);
    expect(cancelled?.meetings.filter((m) => !m.cancelled)).toEqual([]);
    expect(cancelled?.offeredSlots ?? []).toEqual([]);
    const last = (await textsTo(phone)).at(-1)?.body ?? '';
    expect(last).toMatch(/is cancelled\. Reply here any time/);
    expect(last).not.toMatch(/1\)/);
    expect((await slackAbout(phone)).some((post) => /^Meeting cancelled/.test(post.body))).toBe(true);
    expect(
      (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'booking-cancelled'),
    ).toHaveLength(2);
  });

  it('does not tell the rep to call an email-only lead, and lists every reason of the score', async () => {
    const from = 'kim.hot@example.com';
    await pipeline.email({
      from,
      subject: 'Burst pipe',
      text: 'Hi, this is Kim Lee. A pipe burst and the kitchen is flooding! I live in Cedar Park, please send someone today.',
    });
    await pipeline.settle();
    const lead = await leadOf(from);
    const [alert] = await slackAbout(from);
    expect(alert?.body).not.toContain('Call them now');
    expect(alert?.body).toContain('Email them now');
    for (const reason of lead?.score?.reasons ?? []) expect(alert?.body).toContain(reason);
    expect((lead?.score?.reasons.length ?? 0) > 4).toBe(true);
    // No phone to call back: the reply asks for one.
    const reply = (await pipeline.runtime.inspector.outbox()).find(
      (e) => e.kind === 'email' && e.to === from,
    );
    expect(reply?.body).toMatch(/reply with a phone number/);
  });

  it('shows an opted-out lead as opted_out, as the CRM does, and a bare HELP creates no CRM lead', async () => {
    const phone = '+15125550607';
    await say(phone, 'My shower drain is slow, can you clean it?');
    await say(phone, 'STOP');
    const lead = await leadOf(phone);
    expect(lead?.status).toBe('opted_out');
    const crm = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'crm' && e.details.crmId === lead?.crm?.id,
    );
    expect(crm.at(-1)?.details.record).toMatchObject({ status: 'opted_out' });

    const helpOnly = '+15125550608';
    await say(helpOnly, 'HELP');
    const helped = await leadOf(helpOnly);
    expect(helped?.crm).toBeUndefined();
    expect((await textsTo(helpOnly)).length).toBe(1);
  });
});
