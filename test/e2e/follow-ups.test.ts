import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextTuesdayAt, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('follow-ups, stages and meeting reminders, on the local runtime with a controlled clock', () => {
  let pipeline: TestPipeline;
  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);
  const leadOf = async (phone: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
  const timersOf = (leadId: string) =>
    pipeline.runtime.schedules.list().filter((s) => s.Name.includes(leadId));

  beforeAll(async () => {
    // Tuesday 10:00 in Austin: inside business hours and every calling window.
    pipeline = await startTestPipeline({ clockStart: nextTuesdayAt('10:00') });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('follows up a lead who went quiet on the cadence, worded for where it stopped, and stops when they reply', async () => {
    const phone = '+15125550401';
    await pipeline.sms(phone, 'Hi, my kitchen drain is clogged, can someone help?');
    await pipeline.settle();
    expect(await textsTo(phone)).toHaveLength(1);
    const lead = await leadOf(phone);
    expect(lead?.stage).toBe('qualified');
    expect(timersOf(lead!.leadId)).toHaveLength(1);

    await pipeline.advance(59 * MINUTE);
    expect(await textsTo(phone)).toHaveLength(1);
    await pipeline.advance(2 * MINUTE);
    const afterFirst = await textsTo(phone);
    expect(afterFirst).toHaveLength(2);
    expect(afterFirst[1]?.body).toMatch(/following up/);
    // The next step is the next morning, at opening time.
    const pending = (await leadOf(phone))?.followUp;
    expect(pending).toMatchObject({ step: 2, lastSentStep: 1 });
    expect(new Date(pending!.dueAt).toISOString()).toBe(
      new Date(Date.parse(nextTuesdayAt('08:00')) + 24 * HOUR).toISOString(),
    );

    await pipeline.advance(23 * HOUR);
    expect(await textsTo(phone)).toHaveLength(3);

    // The lead answers: the rest of the cadence is cancelled (the timer is deleted).
    await pipeline.sms(phone, 'Sorry, busy week. Yes please, I am in Round Rock');
    await pipeline.settle();
    const answered = await textsTo(phone);
    expect(
      timersOf(lead!.leadId).filter((t) => t.Name.startsWith('fu-') && t.Name.endsWith('-3')),
    ).toHaveLength(0);
    expect((await leadOf(phone))?.followUp?.anchor).not.toBe(pending?.anchor);
    await pipeline.advance(30 * MINUTE);
    expect(await textsTo(phone)).toHaveLength(answered.length);
  });

  it('withdraws a follow-up held for the lead’s calling window once the lead has written since', async () => {
    // Hawaii: 10:00 in Austin is 06:00 there, so the follow-up due at 11:00 (07:00) is held until 08:00.
    const phone = '+18085550404';
    await pipeline.sms(phone, 'Hi, do you fix leaking water heaters? I am in Honolulu');
    await pipeline.settle();
    expect(await textsTo(phone)).toHaveLength(1);
    await pipeline.advance(61 * MINUTE);
    expect(await textsTo(phone)).toHaveLength(1);
    // The lead writes back before the window opens: that message gets its answer, the held follow-up none.
    await pipeline.sms(phone, 'Also it is a 40 gallon gas heater, about 10 years old');
    await pipeline.settle();
    const answered = await textsTo(phone);
    // 08:00 in Honolulu: the window opens, and the held follow-up is withdrawn, not sent. The answer
    // to the lead's second message starts a cadence of its own: one follow-up an hour later, never two.
    await pipeline.advance(70 * MINUTE);
    const followUps = (await textsTo(phone)).filter((t) => /following up/i.test(t.body));
    expect(followUps).toHaveLength(1);
    const held = (await leadOf(phone))?.messages.filter((m) => m.purpose === 'follow-up-1');
    expect(held?.map((m) => m.status).sort()).toEqual(['sent', 'suppressed']);
    expect(answered.length).toBe(2);
  });

  it('does not follow up a lead routed to a rep: the lead was told someone will call', async () => {
    const phone = '+15125550405';
    await pipeline.sms(
      phone,
      'Water is pouring through my ceiling from a burst pipe, please send someone now! Austin',
    );
    await pipeline.settle();
    const lead = await leadOf(phone);
    expect(lead?.routing).toBeDefined();
    const sent = (await textsTo(phone)).length;
    await pipeline.advance(3 * HOUR);
    const texts = await textsTo(phone);
    expect(texts.map((t) => t.body).filter((b) => /following up/i.test(b))).toEqual([]);
    expect(texts).toHaveLength(sent);
  });

  it('sends nothing more to a lead who opts out', async () => {
    const phone = '+15125550402';
    await pipeline.sms(phone, 'Do you install tankless water heaters?');
    await pipeline.settle();
    await pipeline.sms(phone, 'STOP');
    await pipeline.settle();
    const before = await textsTo(phone);
    expect((await leadOf(phone))?.stage).toBe('opted_out');
    await pipeline.advance(4 * 24 * HOUR);
    expect(await textsTo(phone)).toHaveLength(before.length);
  });

  it('reminds a lead of the meeting they booked, 24 h and 1 h before, and asks how it went after', async () => {
    const phone = '+15125550403';
    await pipeline.sms(
      phone,
      'Hi, this is Maria. I need a quote for a bathroom remodel in Austin. Can we book a call?',
    );
    await pipeline.settle();
    expect((await leadOf(phone))?.stage).toBe('meeting_offered');
    await pipeline.sms(phone, '1');
    await pipeline.settle();
    const lead = await leadOf(phone);
    expect(lead?.stage).toBe('booked');
    const meeting = lead?.meetings[0];
    expect(meeting).toBeDefined();
    // A reminder whose time has passed when the meeting is booked is not set (nor sent late).
    const start = Date.parse(meeting!.start);
    const dayBefore = start - 24 * HOUR > pipeline.runtime.clock.now().getTime();
    const reminders = timersOf(lead!.leadId).filter((t) => t.Name.startsWith('rm-'));
    expect(reminders.map((t) => t.Name.split('-').slice(-2).join('-')).sort()).toEqual(
      [...(dayBefore ? ['day-before'] : []), 'after-meeting', 'hour-before'].sort(),
    );
    const sent = (await textsTo(phone)).length;

    const to = async (instant: number) =>
      pipeline.advance(Math.max(0, instant - pipeline.runtime.clock.now().getTime()));
    await to(start - 24 * HOUR + MINUTE);
    await to(start - HOUR + MINUTE);
    await to(Date.parse(meeting!.end) + HOUR + MINUTE);
    const texts = (await textsTo(phone)).slice(sent);
    const bodies = texts.map((t) => t.body);
    expect(bodies.filter((b) => /^Reminder: your call/.test(b))).toHaveLength(dayBefore ? 2 : 1);
    expect(bodies.some((b) => /^Reminder: your call with Brightside Plumbing starts at/.test(b))).toBe(true);
    expect(bodies.some((b) => /How did it go\?/.test(b))).toBe(true);
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
