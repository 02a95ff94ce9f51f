import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { alertReference } from '#shared/domain/routing/rep-command.ts';
import { nextTuesdayAt, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const DANA = '+15125550901';
const SAM = '+15125550902';
const ARI = '+15125550903';
const MORGAN = '+15125550909';

/** Two leak specialists (Dana covers Round Rock), a drain specialist, and a manager, all by text. */
const profile = BusinessProfile.parse({
  ...demoBusinessProfile,
  reps: [
    {
      id: 'rep-dana',
      name: 'Dana',
      notifyVia: 'sms',
      phone: DANA,
      services: ['Leak repair', 'Bathroom remodel'],
      territory: ['Round Rock'],
    },
    { id: 'rep-sam', name: 'Sam', notifyVia: 'sms', phone: SAM, services: ['Leak repair'] },
    { id: 'rep-ari', name: 'Ari', notifyVia: 'sms', phone: ARI, services: ['Drain cleaning'] },
  ],
  routing: { responseMinutes: 5, manager: { name: 'Morgan', notifyVia: 'sms', phone: MORGAN } },
  // Every alert here is urgent enough to text at once, whatever the hour the clock reaches.
  urgentRepAlerts: ['emergency', 'hot-lead', 'meeting-booked', 'response-missed'],
});

describe('rep routing with a response clock, on the local runtime with a controlled clock', () => {
  let pipeline: TestPipeline;
  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);
  const leadOf = async (phone: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
  const say = async (phone: string, body: string) => {
    const answer = await pipeline.sms(phone, body);
    expect(answer.status).toBe(200);
    await pipeline.settle();
    return answer.text();
  };
  const alertsAbout = async (rep: string, lead: string) =>
    (await textsTo(rep)).filter((t) => t.body.includes(lead));

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      env: { BUSINESS_PROFILE: JSON.stringify(profile) },
      // Tuesday 10:00 in Austin: every rep is on duty.
      clockStart: nextTuesdayAt('10:00'),
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('routes by service and territory; with no answer in time it goes to the next rep and the manager is told', async () => {
    const phone = '+15125550501';
    await say(phone, "A pipe burst under my sink and it's flooding! I'm in Round Rock, please come now");
    const lead = await leadOf(phone);
    expect(lead?.score?.grade).toBe('hot');
    // Leak repair in Round Rock: Dana, whose territory it is.
    expect(lead?.routing).toMatchObject({ repId: 'rep-dana', attempt: 1, reason: 'emergency' });
    const ref = alertReference(lead!.leadId);
    const [alert] = await alertsAbout(DANA, phone);
    expect(alert?.body).toMatch(/^EMERGENCY/);
    expect(alert?.body).toContain(`Reply OK ${ref} within 5 min to take the lead`);

    await pipeline.advance(4 * MINUTE);
    expect(await alertsAbout(SAM, phone)).toHaveLength(0);
    await pipeline.advance(2 * MINUTE);
    const [passed] = await alertsAbout(SAM, phone);
    expect(passed?.body).toContain('Passed on to you: Dana did not answer within 5 min.');
    const [toManager] = await alertsAbout(MORGAN, phone);
    expect(toManager?.body).toMatch(/^Dana did not answer the EMERGENCY .* within 5 min\. It went to Sam\./);
    const after = await leadOf(phone);
    expect(after?.assignedRepId).toBe('rep-sam');
    expect(after?.routing).toMatchObject({ repId: 'rep-sam', attempt: 2, tried: ['rep-dana', 'rep-sam'] });

    // Sam lets it run out too: the one rep left, Ari, gets it; then nobody is left to ask.
    await pipeline.advance(6 * MINUTE);
    expect(await alertsAbout(ARI, phone)).toHaveLength(1);
    await pipeline.advance(6 * MINUTE);
    const manager = (await alertsAbout(MORGAN, phone)).map((t) => t.body);
    expect(manager).toHaveLength(3);
    expect(manager[2]).toContain('No rep is left to ask: please call them yourself.');
    expect((await leadOf(phone))?.routing?.unanswered).toBe(true);
    // Nothing more fires, and each rep was alerted once.
    await pipeline.advance(30 * MINUTE);
    expect(await alertsAbout(DANA, phone)).toHaveLength(1);
    expect(await alertsAbout(MORGAN, phone)).toHaveLength(3);
  });

  it('stops the clock when the rep answers OK, with the response time, and never takes the rep for a lead', async () => {
    const phone = '+15125550502';
    await say(phone, 'Water is leaking from my ceiling right now in Round Rock, can someone come today?');
    const lead = await leadOf(phone);
    expect(lead?.routing?.repId).toBe('rep-dana');
    const ref = alertReference(lead!.leadId);

    await pipeline.advance(2 * MINUTE);
    const twiml = await say(DANA, `ok ${ref.toLowerCase()}`);
    expect(twiml).toContain(`<Message>Got it: lead ${ref} is yours.</Message>`);
    const answered = await leadOf(phone);
    expect(answered?.routing?.acknowledgedAt).toBeDefined();
    const events = await pipeline.runtime.inspector.lead(lead!.leadId);
    expect(events?.messages.some((m) => m.body.toLowerCase().startsWith('ok'))).toBe(false);

    await pipeline.advance(10 * MINUTE);
    expect(await alertsAbout(SAM, phone)).toHaveLength(0);
    expect(await alertsAbout(MORGAN, phone)).toHaveLength(0);
    // Dana's text made no lead and got no lead's answer: only her alerts went to her number.
    expect(await leadOf(DANA)).toBeUndefined();
    for (const text of await textsTo(DANA)) expect(text.body).toMatch(/^(EMERGENCY|Hot lead|Meeting)/);
  });

  it('hands the conversation to a rep who texts TAKE: the lead gets nothing automatic any more, consent answers aside', async () => {
    const phone = '+15125550503';
    await say(phone, 'Burst pipe flooding my garage in Round Rock, need help ASAP');
    const lead = await leadOf(phone);
    const ref = alertReference(lead!.leadId);
    const before = (await textsTo(phone)).length;
    expect(before).toBe(1);

    const twiml = await say(DANA, `TAKE ${ref}`);
    expect(twiml).toContain('you have the conversation');
    const taken = await leadOf(phone);
    expect(taken?.handedToRep).toMatchObject({ repId: 'rep-dana' });
    expect(taken?.stage).toBe('handed_to_rep');
    // No follow-up pending: a routed lead never had one started, a taken one has its cadence ended.
    expect(taken?.followUp === undefined || taken.followUp.done === true).toBe(true);

    await say(phone, 'Are you on your way? How much will it cost?');
    await pipeline.advance(3 * 24 * HOUR);
    expect(await textsTo(phone)).toHaveLength(before);
    const held = (await leadOf(phone))?.messages.filter(
      (m) => m.direction === 'out' && m.status === 'suppressed',
    );
    expect(held?.[0]?.reason).toMatch(/a rep took the conversation over/);

    // The law still gets its answer.
    await say(phone, 'STOP');
    const last = (await textsTo(phone)).at(-1);
    expect((await textsTo(phone)).length).toBe(before + 1);
    expect(last?.body).toMatch(/unsubscribed|opted out|no more/i);
  });

  it('answers a rep’s text that is no command with how to answer, and publishes nothing', async () => {
    const twiml = await say(SAM, 'hey who is this lead?');
    expect(twiml).toContain('reply OK &lt;ref&gt; to take a lead');
    expect(await leadOf(SAM)).toBeUndefined();
    const unknownRef = await say(SAM, 'OK ABCD');
    expect(unknownRef).toContain('no lead ABCD among your alerts');
    // A reference of no alert is named as not found, with how to answer: not the generic help.
    const zzzz = await say(SAM, 'TAKE ZZZZ');
    expect(zzzz).toContain('Leadline: no lead ZZZZ among your alerts. Reply OK &lt;ref&gt;');
  });

  it('asks which lead a bare TAKE means when several alerts are open, by reference, and takes none', async () => {
    const first = '+15125550511';
    const second = '+15125550512';
    await say(first, 'Sewage is backing up out of my floor drain and flooding the basement, come now!');
    const one = await leadOf(first);
    expect(one?.routing?.repId).toBe('rep-ari');
    await say(second, 'Main drain overflowing sewage into my kitchen right now, emergency, please come');
    const two = await leadOf(second);
    expect(two?.routing?.repId).toBe('rep-ari');
    const refs = [two!, one!].map((l) => alertReference(l.leadId));

    // Ari has these two open, and the lead of the first test Ari was asked about last.
    const which = await say(ARI, 'TAKE');
    expect(which).toContain(`which lead? Reply TAKE with its code: TAKE ${refs[0]}, TAKE ${refs[1]}, TAKE `);
    expect((await leadOf(first))?.handedToRep).toBeUndefined();
    expect((await leadOf(second))?.handedToRep).toBeUndefined();
  });

  it('keeps one owner: a rep who takes over a lead passed on makes the other rep be told, and the clock stops', async () => {
    const phone = '+15125550521';
    await say(phone, 'Pipe burst in my wall, water everywhere, I am in Round Rock, please hurry');
    const lead = await leadOf(phone);
    expect(lead?.routing?.repId).toBe('rep-dana');
    const ref = alertReference(lead!.leadId);
    await pipeline.advance(6 * MINUTE);
    expect((await leadOf(phone))?.routing?.repId).toBe('rep-sam');

    // Dana, late, takes it over: it is hers; Sam is told, and his clock stops.
    expect(await say(DANA, `TAKE ${ref}`)).toContain('you have the conversation');
    const taken = await leadOf(phone);
    expect(taken?.handedToRep?.repId).toBe('rep-dana');
    expect(taken?.routing?.stopped?.reason).toBe('handed_to_rep');
    const toSam = (await alertsAbout(SAM, ref)).map((t) => t.body);
    expect(toSam.at(-1)).toContain(`Lead ${ref}`);
    expect(toSam.at(-1)).toContain('is now with Dana, who took the conversation over');

    // Sam's OK and TAKE are answered with who has it, and change nothing.
    expect(await say(SAM, `OK ${ref}`)).toContain(
      `lead ${ref} is with Dana, who has the conversation; nothing changed.`,
    );
    expect(await say(SAM, `TAKE ${ref}`)).toContain(`lead ${ref} is with Dana`);
    const after = await leadOf(phone);
    expect(after?.handedToRep?.repId).toBe('rep-dana');
    expect(after?.assignedRepId).toBe('rep-dana');
    expect(after?.routing?.acknowledgedAt).toBeUndefined();

    await pipeline.advance(20 * MINUTE);
    expect(await alertsAbout(ARI, phone)).toHaveLength(0);
    expect(await alertsAbout(MORGAN, phone)).toHaveLength(1);

    // The lead opts out: Dana, who has the conversation, is told not to text them.
    await say(phone, 'STOP');
    const toDana = (await alertsAbout(DANA, ref)).map((t) => t.body);
    expect(toDana.at(-1)).toMatch(/^Opted out: .*Do not text them again/);
  });

  it('marks a meeting a no-show when the rep texts NOSHOW, and the message after it offers a new time', async () => {
    const phone = '+15125550504';
    await say(
      phone,
      'Hi, this is Maria. I need a quote for a bathroom remodel in Austin. Can we book a call?',
    );
    await say(phone, '1');
    const lead = await leadOf(phone);
    expect(lead?.stage).toBe('booked');
    const meeting = lead!.meetings[0]!;
    const [booked] = (await alertsAbout(DANA, '')).filter((t) =>
      t.body.startsWith('Meeting booked with Maria'),
    );
    const ref = alertReference(lead!.leadId);
    expect(booked?.body).toContain(`If they do not come, reply NOSHOW ${ref}.`);

    await pipeline.advance(Date.parse(meeting.start) + 10 * MINUTE - pipeline.runtime.clock.now().getTime());
    expect(await say(DANA, `no show ${ref}`)).toContain('missed the meeting');
    const marked = await leadOf(phone);
    expect(marked?.meetings[0]?.noShow).toBe(true);
    expect(marked?.stage).toBe('qualified');

    await pipeline.advance(Date.parse(meeting.end) + 2 * HOUR - pipeline.runtime.clock.now().getTime());
    const bodies = (await textsTo(phone)).map((t) => t.body);
    expect(bodies.filter((b) => /sorry we missed you/i.test(b))).toHaveLength(1);
    expect(bodies.some((b) => /How did it go\?/.test(b))).toBe(false);
    for (const queue of pipeline.runtime.inspector.queues())
      expect(queue.deadLettered, queue.subscriber).toBe(0);
  });
});
