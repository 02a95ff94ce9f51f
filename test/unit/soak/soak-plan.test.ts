import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { normaliseEmail, normalisePhone } from '#shared/domain/contact.ts';
import { qualifyByRules } from '#shared/domain/rules-qualifier.ts';
import { parseSoakArgs, UsageError } from '../../../scripts/soak/args.ts';
import { buildPlan, type PlanOptions } from '../../../scripts/soak/plan.ts';
import { soakTexts } from '../../../scripts/soak/texts.ts';

const options: PlanOptions = { seed: 8, messages: 600, concurrency: 8, maxGapMs: 250 };

describe('buildPlan', () => {
  const plan = buildPlan(options);
  const deliveries = plan.jobs.flatMap((job) => job.deliveries);
  const messageOf = new Map(plan.messages.map((m) => [m.key, m]));

  it('gives the same plan for the same seed and another plan for another seed', () => {
    expect(buildPlan(options)).toEqual(plan);
    expect(buildPlan({ ...options, seed: 9 }).messages).not.toEqual(plan.messages);
  });

  it('plans as many requests as asked: about 10% repeats and a few forgeries of each kind', () => {
    expect(deliveries).toHaveLength(600);
    expect(plan.deliveryCount).toBe(600);
    expect(deliveries.filter((d) => d.repeat)).toHaveLength(60);
    const forged = plan.messages.filter((m) => m.forgery);
    expect(forged.length).toBeGreaterThanOrEqual(6);
    expect(new Set(forged.map((m) => m.forgery))).toEqual(
      new Set(['bad-twilio-signature', 'wrong-basic-auth']),
    );
    // A forged request comes from a contact that sends nothing else.
    for (const m of forged) {
      expect(plan.contacts[m.contact]!.forged).toBe(true);
      expect(plan.messages.filter((other) => other.contact === m.contact)).toHaveLength(1);
    }
  });

  it('sends each repeat after its original, some right behind it', () => {
    const firstIndex = new Map<string, number>();
    plan.jobs.forEach((job, i) => {
      for (const d of job.deliveries)
        if (!d.repeat && !firstIndex.has(d.message)) firstIndex.set(d.message, i);
    });
    const gaps = plan.jobs.flatMap((job, i) =>
      job.deliveries.filter((d) => d.repeat).map((d) => i - firstIndex.get(d.message)!),
    );
    expect(gaps.every((gap) => gap > 0)).toBe(true);
    expect(gaps.filter((gap) => gap === 1).length).toBeGreaterThan(5);
  });

  it('has bursts of 2–3 messages from one contact, sent by one thread within a second', () => {
    const bursts = plan.jobs.filter((job) => job.deliveries.length > 1);
    expect(bursts.length).toBeGreaterThan(10);
    for (const job of bursts) {
      const members = job.deliveries.map((d) => messageOf.get(d.message)!);
      expect(members.length).toBeLessThanOrEqual(3);
      expect(new Set(members.map((m) => m.contact)).size).toBe(1);
      expect(new Set(members.map((m) => m.burst)).size).toBe(1);
      const within = job.deliveries.slice(1).reduce((sum, d) => sum + d.gapBeforeMs, 0);
      expect(within).toBeLessThan(1000);
    }
  });

  it('has contacts who send STOP as their last message, after writing something else', () => {
    const stops = plan.messages.filter((m) => m.role === 'stop');
    expect(stops.length).toBeGreaterThan(5);
    for (const stop of stops) {
      const own = plan.messages.filter((m) => m.contact === stop.contact);
      expect(own.at(-1)).toBe(stop);
      expect(own.length).toBeGreaterThan(1);
      expect(stop.channel).toBe('sms');
    }
  });

  it('gives every contact an address of its own, as Leadline normalises it, and never repeats its words', () => {
    expect(new Set(plan.contacts.map((c) => c.address)).size).toBe(plan.contacts.length);
    for (const contact of plan.contacts) {
      const normal =
        contact.channel === 'sms' ? normalisePhone(contact.address) : normaliseEmail(contact.address);
      expect(normal).toBe(contact.address);
      const bodies = plan.messages.filter((m) => m.contact === contact.index).map((m) => m.body);
      expect(new Set(bodies).size).toBe(bodies.length);
    }
    expect(new Set(plan.messages.map((m) => m.providerId)).size).toBe(plan.messages.length);
  });

  it('kills the runtime around halfway', () => {
    expect(plan.kill.afterDelivery).toBeGreaterThanOrEqual(240);
    expect(plan.kill.afterDelivery).toBeLessThanOrEqual(360);
  });

  it('still has a burst, a STOP, an email and both forgeries in a small plan', () => {
    const small = buildPlan({ ...options, messages: 40, concurrency: 4 });
    expect(small.jobs.flatMap((j) => j.deliveries)).toHaveLength(40);
    expect(small.messages.some((m) => m.burst)).toBe(true);
    expect(small.messages.some((m) => m.role === 'stop')).toBe(true);
    expect(small.messages.some((m) => m.channel === 'email' && !m.forgery)).toBe(true);
    expect(small.messages.filter((m) => m.forgery)).toHaveLength(2);
  });
});

describe('the soak texts', () => {
  const profile = BusinessProfile.parse(demoBusinessProfile);
  const read = (body: string, channel: 'sms' | 'email', subject?: string) =>
    qualifyByRules({
      channel,
      body,
      subject,
      history: [],
      offeredSlots: [],
      business: { name: profile.name, services: profile.services },
    }).intent;
  const { sms, email } = soakTexts;

  // The soak counts a message without a reply as a failure: so every text it sends must be one
  // Leadline answers (not spam, not a wrong number).
  it.each([
    ...sms.openers,
    ...sms.bursts.flat(),
    ...sms.followUps,
    ...sms.questions,
    ...sms.slotChoices,
    ...sms.closings,
  ])('reads the text "%s" as a lead talking', (body) => {
    expect(read(body, 'sms')).toBe('new_lead');
  });

  it.each([
    ...email.openers.map((o) => [o.text, o.subject]),
    ...[...email.followUps, ...email.questions, ...email.slotChoices].map((t) => [t, 'Re: Question']),
  ])('reads the email "%s" as a lead talking', (body, subject) => {
    expect(read(body!, 'email', subject)).toBe('new_lead');
  });

  it.each(sms.optOuts)('reads "%s" as an opt-out', (body) => {
    expect(read(body, 'sms')).toBe('opt_out');
  });
});

describe('parseSoakArgs', () => {
  it('has defaults for everything', () => {
    expect(parseSoakArgs([])).toMatchObject({
      messages: 600,
      concurrency: 8,
      seed: 8,
      kill: true,
      out: '.soak',
    });
  });

  it('reads options', () => {
    expect(
      parseSoakArgs([
        '--messages',
        '40',
        '--concurrency',
        '4',
        '--seed',
        '3',
        '--no-kill',
        '--log-level',
        'warn',
      ]),
    ).toMatchObject({ messages: 40, concurrency: 4, seed: 3, kill: false, logLevel: 'WARN' });
  });

  it('answers help', () => {
    expect(parseSoakArgs(['--help'])).toBe('help');
    expect(parseSoakArgs(['-h'])).toBe('help');
  });

  it.each([
    [['--messages', 'many'], /--messages/],
    [['--messages', '5'], /--messages/],
    [['--concurrency', '0'], /--concurrency/],
    [['--visibility-timeout', '0'], /--visibility-timeout/],
    [['--frobnicate'], /frobnicate/],
    [['--seed'], /seed/],
    [['extra'], /extra/],
  ])('refuses %j, naming the mistake', (argv, mistake) => {
    expect(() => parseSoakArgs(argv)).toThrow(UsageError);
    expect(() => parseSoakArgs(argv)).toThrow(mistake);
  });
});
