import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { composeReply, missingDetails } from '#shared/domain/reply.ts';
import { qualifyByRules } from '#shared/domain/rules-qualifier.ts';
import { scoreLead } from '#shared/domain/scoring.ts';
import { findFreeSlots, formatSlot } from '#shared/domain/slots.ts';
import { zonedTimeToUtc } from '#shared/domain/time.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const business = { name: profile.name, services: profile.services };
const msgs = [
  "Hi, this is Jane Doe. My water heater burst and the garage is flooding! I'm in Round Rock, can someone come today? 512-555-0199",
  'just looking, maybe next year. how much is a bathroom remodel?',
  'Hello, my name is carlos ramirez and my kitchen drain is clogged. Budget under $300. 78701. Can you come tomorrow?',
  'Congratulations you have won a gift card! click here http://bit.ly/xyz',
  'wrong number',
  'who is this?',
  'We offer SEO services to get you on the first page of Google',
  'Need a quote for a tankless water heater install in Dallas, TX next week. email me at Bob@Example.com - Bob',
  'Looking to remodel our bathroom sometime this month, what does it cost?',
];
for (const body of msgs) {
  const q = qualifyByRules({ channel: 'sms', body, history: [], offeredSlots: [], business });
  const s = scoreLead({
    qualification: q,
    conversation: { inboundCount: 1, outboundCount: 0, hasEmail: false, hasPhone: true },
    profile,
  });
  console.log(body, '\n', JSON.stringify(q), '\n', s.score, s.grade, s.reasons.join('; '));
  const missing = missingDetails(q, {});
  const slots = findFreeSlots({
    from: new Date('2026-11-23T15:00:00Z'),
    timeZone: profile.timeZone,
    hours: profile.hours,
    durationMinutes: 30,
    minNoticeMinutes: 120,
    busy: [],
    count: 3,
  });
  const r = composeReply({
    kind: 'first-reply',
    channel: 'sms',
    profile,
    lead: {},
    qualification: q,
    missing,
    slots: q.wantsMeeting ? slots : undefined,
    timeZone: profile.timeZone,
  });
  console.log(' >', r.text.length, r.text);
}
const slots = findFreeSlots({
  from: new Date('2026-11-23T15:00:00Z'),
  timeZone: profile.timeZone,
  hours: profile.hours,
  durationMinutes: 30,
  minNoticeMinutes: 120,
  busy: [],
  count: 5,
});
console.log(slots.map((s) => formatSlot(s, profile.timeZone)));
const offered = slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));
for (const body of [
  '2',
  'Option 3 please',
  '#1',
  'the first one works',
  'second',
  'Tuesday at 10',
  '10am',
  'tue 12',
  '1pm',
  'I have 2 bathrooms',
  'first time calling you',
  'none of those work',
  'last one',
]) {
  const q = qualifyByRules({
    channel: 'sms',
    body,
    history: [{ direction: 'out', body: 'x' }],
    offeredSlots: offered,
    business,
    timeZone: profile.timeZone,
  });
  console.log(body, '=>', q.slotChoice, q.intent);
}
console.log(
  zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York').toISOString(),
);
console.log(
  zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York').toISOString(),
);
const e = composeReply({
  kind: 'slots-offered',
  channel: 'email',
  profile,
  lead: { name: 'Jane <b>' },
  missing: [],
  slots: slots.slice(0, 3),
  timeZone: profile.timeZone,
  inboundSubject: 'Leak',
});
console.log(e);
for (const kind of [
  'help',
  'opt-out-confirmation',
  'opt-in-confirmation',
  'meeting-booked',
  'slot-taken',
  'follow-up-reply',
] as const)
  console.log(
    composeReply({
      kind,
      channel: 'sms',
      profile,
      lead: { name: 'Jane' },
      missing: ['email'],
      slots: slots.slice(0, 3),
      meeting: slots[0],
      timeZone: profile.timeZone,
    }).text,
  );
