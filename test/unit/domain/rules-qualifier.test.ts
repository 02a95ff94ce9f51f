import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { Qualification, type QualificationInput } from '#shared/domain/qualification.ts';
import { findSlotChoice, matchService, qualifyByRules } from '#shared/domain/rules-qualifier.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const business = { name: profile.name, services: profile.services };
const ZONE = profile.timeZone;

function qualify(body: string, extra: Partial<QualificationInput> = {}) {
  const q = qualifyByRules({ channel: 'sms', body, history: [], offeredSlots: [], business, ...extra });
  expect(Qualification.safeParse(q).success).toBe(true);
  return q;
}

// Mon Nov 23 11:00, Mon 2:00 PM, Tue Nov 24 10:00 (CST)
const offered = [
  { start: '2026-11-23T17:00:00.000Z', end: '2026-11-23T17:30:00.000Z' },
  { start: '2026-11-23T20:00:00.000Z', end: '2026-11-23T20:30:00.000Z' },
  { start: '2026-11-24T16:00:00.000Z', end: '2026-11-24T16:30:00.000Z' },
];
const inConversation = {
  history: [{ direction: 'out' as const, body: 'Reply 1, 2 or 3' }],
  offeredSlots: offered,
};

describe('qualifyByRules: intent', () => {
  it.each([
    ['STOP', 'opt_out'],
    ['please stop texting me', 'opt_out'],
    ['START', 'opt_in'],
    ['HELP', 'help'],
    ['', 'spam'],
    ['   ', 'spam'],
    ['Congratulations, you have won a $500 gift card! Click here: http://bit.ly/abc123', 'spam'],
    ['We offer SEO services to put your business on the first page of Google', 'spam'],
    ['Your business loan approved! Reply YES to claim', 'spam'],
    ['Invest in crypto today, guaranteed returns', 'spam'],
    ['https://example.xyz/promo', 'spam'],
    ['wrong number', 'wrong_number'],
    ['Who is this?', 'wrong_number'],
    ["I didn't text you", 'wrong_number'],
    ['Sorry, you have the wrong person', 'wrong_number'],
    ['My kitchen sink is clogged', 'new_lead'],
  ] as const)('reads %j as %s', (body, intent) => {
    expect(qualify(body).intent).toBe(intent);
  });

  it('reads a message in an ongoing conversation as a reply', () => {
    expect(qualify('Sounds good', { history: [{ direction: 'out', body: 'Thanks!' }] }).intent).toBe('reply');
  });

  it('keeps a real enquiry that mentions a link or says "wrong number" about the job', () => {
    expect(qualify('Here is a photo of the leak under my sink: https://photos.example.com/abc').intent).toBe(
      'new_lead',
    );
    expect(qualify('Wrong number on your website? I need my drain cleaned').intent).toBe('new_lead');
    // A slip of the thumb followed by a question for the business is a lead talking.
    expect(qualify('Sorry, wrong button. What are your hours on Saturday?').intent).not.toBe('wrong_number');
    expect(qualify('Sorry wrong number').intent).toBe('wrong_number');
  });

  it('leaves everything else empty for keyword and spam messages', () => {
    const q = qualify('STOP');
    expect(q).toMatchObject({
      name: null,
      service: null,
      wantsMeeting: false,
      slotChoice: null,
      timing: 'unknown',
    });
    expect(q.summary).toBe('STOP');
  });
});

describe('qualifyByRules: extraction', () => {
  it('reads an urgent leak with name, place, phone and a visit request', () => {
    const q = qualify(
      "Hi, this is Jane Doe. My water heater burst and the garage is flooding! I'm in Round Rock, can someone come today? 512-555-0199",
    );
    expect(q).toMatchObject({
      intent: 'new_lead',
      name: 'Jane Doe',
      phone: '+15125550199',
      service: 'Water heater',
      timing: 'urgent',
      location: 'Round Rock',
      wantsMeeting: true,
      need: 'My water heater burst and the garage is flooding',
    });
  });

  it.each([
    ['my name is carlos ramirez and my drain is slow', 'Carlos Ramirez'],
    ['This is Jane, my shower drips', 'Jane'],
    ["I'm Priya Patel. Need a new water heater", 'Priya Patel'],
    ['I am Tom and I need a plumber', 'Tom'],
    ['Leaky pipe in the basement.\n- Jane', 'Jane'],
    ['Leaky pipe in the basement. Can you help? - Sam', 'Sam'],
    ['Leaky pipe in the basement.\n\nThanks,\nMaria Lopez', 'Maria Lopez'],
  ])('finds the name in %j', (body, name) => {
    expect(qualify(body).name).toBe(name);
  });

  it.each([
    "I'm in Austin and my drain is clogged",
    "I'm looking for a quote on a water heater",
    'This is urgent, the pipe burst',
    "I'm Interested in a bathroom remodel",
    'Thanks, Dana',
  ])('finds no name in %j', (body) => {
    expect(qualify(body).name).toBeNull();
  });

  it.each([
    ['The toilet is clogged', 'Drain cleaning'],
    ['Sewer line backed up into the basement', 'Drain cleaning'],
    ['no HOT WATER since yesterday', 'Water heater'],
    ['my pipes are leaking', 'Leak repair'],
    ['the faucet keeps dripping', 'Leak repair'],
    ['Thinking about remodeling our bathroom', 'Bathroom remodel'],
    ['Can you install a tankless heater?', 'Water heater'],
    ['Do you do landscaping?', null],
    ['The old tub needs replacing', 'Bathroom remodel'],
  ])('matches %j to the service %s', (body, service) => {
    expect(qualify(body).service).toBe(service);
  });

  it('matches short keywords on whole words only', () => {
    const services = [{ name: 'Tubs', keywords: ['tub'] }];
    expect(matchService('a new tub please', services)).toBe('Tubs');
    expect(matchService('two tubs', services)).toBe('Tubs');
    expect(matchService('youtube video', services)).toBeNull();
  });

  it('prefers the service with the most keyword hits', () => {
    expect(matchService('The pipe is leaking and dripping near the drain', profile.services)).toBe(
      'Leak repair',
    );
  });

  it.each([
    ['Need someone ASAP', 'urgent'],
    ['emergency! water everywhere', 'urgent'],
    ['can you come today', 'urgent'],
    ['could someone come tomorrow?', 'this_week'],
    ['Sometime this week works', 'this_week'],
    ['Is Thursday possible?', 'this_week'],
    ['maybe next week', 'this_month'],
    ['in two weeks', 'this_month'],
    ['sometime this month', 'this_month'],
    ['next month is fine', 'later'],
    ['just looking, maybe next year', 'later'],
    ["no rush, it's not urgent", 'later'],
    ['Not an emergency', 'later'],
    ['my sink is slow', 'unknown'],
  ])('reads the timing of %j as %s', (body, timing) => {
    expect(qualify(body).timing).toBe(timing);
  });

  it.each([
    ['My budget is $500', 'budget is $500'],
    ['we have a budget of 2k', 'budget of 2k'],
    ['hoping to keep it under $1,000', 'under $1,000'],
    ['somewhere between $800 and $1,200', 'between $800 and $1,200'],
    ['is it about $150?', 'about $150'],
    ['I can pay $300', '$300'],
    ['I have 2 bathrooms', null],
  ])('reads the budget in %j as %j', (body, budget) => {
    expect(qualify(body).budget).toBe(budget);
  });

  it.each([
    ['Leak under the sink, we are in Round Rock', 'Round Rock'],
    ["I'm in Austin, TX", 'Austin, TX'],
    ['we live in Cedar Park near the lake', 'Cedar Park'],
    ['drain clogged, zip 78701', '78701'],
    ['Water heater out at 1200 Oak Hollow Dr, Round Rock', '1200 Oak Hollow Dr, Round Rock'],
    ['In The Woodlands, need a plumber', 'The Woodlands'],
    ["It's flooding! I'm in Round Rock. Can someone come out today?", 'Round Rock'],
    ['We moved to a house in St. Louis Park last year', 'St. Louis Park'],
    ['in the kitchen the sink leaks', null],
    ['Can you come in March?', null],
    ['budget under 50000 dollars', null],
  ])('reads the location in %j as %j', (body, location) => {
    expect(qualify(body).location).toBe(location);
  });

  it.each([
    ['Can you call me?', true],
    ['I need an estimate for a new water heater', true],
    ['could someone come out and take a look', true],
    ['when are you available?', true],
    ['Can I book an appointment', true],
    ['My drain is clogged', false],
    ["Don't call me, just text", false],
  ])('reads whether %j wants a meeting: %s', (body, wants) => {
    expect(qualify(body).wantsMeeting).toBe(wants);
  });

  it('picks up an email address and a phone number in the text', () => {
    const q = qualify('Email me at Bob.Smith@Example.com or call 512.555.0142');
    expect(q.email).toBe('bob.smith@example.com');
    expect(q.phone).toBe('+15125550142');
  });

  it('reads the subject of an email too', () => {
    const q = qualify('Can someone come look at it this week?', {
      channel: 'email',
      subject: 'Re: Clogged drain',
    });
    expect(q.service).toBe('Drain cleaning');
    expect(q.timing).toBe('this_week');
  });

  it('keeps the summary short and never empty', () => {
    expect(qualify('word '.repeat(200)).summary.length).toBeLessThanOrEqual(200);
    expect(qualify('', { channel: 'email', subject: 'Hello' }).summary).toBe('Hello');
  });

  it('skips greetings when it names the need', () => {
    expect(qualify('Hello there! Hi, my shower drain is slow. Thanks').need).toBe('My shower drain is slow');
  });

  it('does not invent a need for a bare reply', () => {
    expect(qualify('ok sounds good', { history: [{ direction: 'out', body: 'hi' }] }).need).toBeNull();
  });
});

describe('qualifyByRules: picking an offered slot', () => {
  it.each([
    ['2', 2],
    ['2.', 2],
    ['Option 3 please', 3],
    ['#1', 1],
    ["Let's do #3", 3],
    ['1 works for me', 1],
    ['the first one works', 1],
    ['Second', 2],
    ['last one please', 3],
    ['the 3rd option', 3],
  ])('reads %j as slot %i', (body, choice) => {
    const q = qualify(body, inConversation);
    expect(q.slotChoice).toBe(choice);
    expect(q.wantsMeeting).toBe(true);
  });

  it.each([
    ['Tuesday at 10', 3],
    ['tue 10am works', 3],
    ['2pm', 2],
    ['Monday at 2', 2],
    ['11:00 please', 1],
  ])('matches %j to slot %i by its weekday and time in the business zone', (body, choice) => {
    expect(qualify(body, { ...inConversation, timeZone: ZONE }).slotChoice).toBe(choice);
  });

  it.each([
    'Monday', // two slots that day
    '9am', // none at 9
    "can't do Tuesday at 10",
    'none of those work',
    'I have 2 bathrooms',
    'first time calling you',
    '4', // only three offered
    '10 please',
  ])('does not pick a slot from %j', (body) => {
    expect(qualify(body, { ...inConversation, timeZone: ZONE }).slotChoice).toBeNull();
  });

  it('needs the zone to match by time and stays numeric without it', () => {
    expect(qualify('Tuesday at 10', inConversation).slotChoice).toBeNull();
    expect(qualify('3', inConversation).slotChoice).toBe(3);
  });

  it('takes a plain yes when only one slot was offered', () => {
    expect(findSlotChoice('Yes that works', offered.slice(0, 1))).toBe(1);
    expect(findSlotChoice('Yes that works', offered)).toBeNull();
  });

  it('picks nothing when no slots were offered', () => {
    expect(qualify('2').slotChoice).toBeNull();
  });
});
