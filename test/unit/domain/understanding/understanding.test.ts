import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { Qualification, type QualificationInput } from '#shared/domain/qualification.ts';
import { qualifyByRules } from '#shared/domain/rules-qualifier.ts';
import { detectLanguage } from '#shared/domain/understanding/language.ts';
import { readLocation } from '#shared/domain/understanding/location.ts';
import { matchService } from '#shared/domain/understanding/services.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const business = {
  name: profile.name,
  services: profile.services,
  places: profile.serviceArea.places,
};
// Wednesday 25 November 2026, 10:00 in Austin.
const RECEIVED = '2026-11-25T16:00:00.000Z';

const qualify = (body: string, extra: Partial<QualificationInput> = {}) => {
  const q = qualifyByRules({
    channel: 'sms',
    body,
    history: [],
    offeredSlots: [],
    business,
    timeZone: profile.timeZone,
    receivedAt: RECEIVED,
    ...extra,
  });
  expect(Qualification.safeParse(q).success).toBe(true);
  return q;
};

describe('services by meaning and word forms', () => {
  it.each([
    ['unclog a kitchen sink', 'Drain cleaning'],
    ['leaky faucet', 'Leak repair'],
    ['leaky faucet in the bathroom', 'Leak repair'],
    ['Water is pouring through my ceiling from the upstairs bathroom', 'Leak repair'],
    ['the dripping never stops', 'Leak repair'],
    ['tengo una fuga debajo del fregadero', 'Leak repair'],
    ['se tapó el inodoro', 'Drain cleaning'],
    ['no tengo agua caliente', 'Water heater'],
    ["j'ai une fuite d'eau", 'Leak repair'],
    ['our water heater is leaking everywhere', 'Water heater'],
    ['want to redo the guest bath with new tile', 'Bathroom remodel'],
    ['the bathroom light is out', null],
    ['install a garbage disposal', null],
  ])('reads %j as %s', (text, service) => {
    expect(matchService(text, profile.services)).toBe(service);
  });
});

describe('emergencies and urgency', () => {
  it.each([
    'HELP!! Water is pouring through my ceiling from the upstairs bathroom. Round Rock. Need someone ASAP',
    'basement is flooding',
    'I smell gas near the water heater',
    'sewage coming up the shower drain',
    'Se reventó un tubo y hay agua por todos lados',
    'No heat and it is 10 degrees, we have a newborn',
  ])('reads %j as an emergency', (text) => {
    expect(qualify(text).urgency).toBe('emergency');
  });

  it.each([
    ['No hot water since this morning', 'urgent'],
    ['Can someone come today? Sink is clogged', 'urgent'],
    ['Do you do emergency calls at night?', 'normal'],
    ['small drip under the sink, not urgent', 'normal'],
    ['no heat upstairs', 'urgent'],
  ] as const)('reads %j as %s', (text, urgency) => {
    expect(qualify(text).urgency).toBe(urgency);
  });

  it('makes a message that reports an emergency hot-worthy even with nothing else said', () => {
    const q = qualify('water everywhere!!');
    expect(q).toMatchObject({ urgency: 'emergency', location: null, name: null });
  });
});

describe('towns and ZIP codes wherever they appear', () => {
  it.each([
    ['Need help with a drain. Round Rock.', 'Round Rock'],
    ['Vivo en Pflugerville', 'Pflugerville'],
    ['Moving to Austin next month', 'Austin'],
    ['leander, leaky faucet', 'Leander'],
    ['78660 water heater', '78660'],
    ['Do you service Hutto?', 'Hutto'],
    ["Hi, this is Kyle. My drain's clogged", null],
  ])('finds the place in %j', (text, place) => {
    const location = readLocation(text, profile.serviceArea.places);
    if (place === null) expect(location).toBeNull();
    else expect(location).toContain(place);
  });
});

describe('timing with a date parser', () => {
  it.each([
    ['Can you come tomorrow morning?', 'this_week', '2026-11-26', 'morning'],
    ['This weekend would be best', 'this_week', null, null],
    ['Tuesday afternoon works', 'this_week', '2026-12-01', 'afternoon'],
    ['sometime next week', 'this_month', null, null],
    ['in two weeks', 'this_month', null, null],
    ['sometime in March', 'later', null, null],
    ['¿Pueden venir mañana?', 'this_week', '2026-11-26', null],
    ['What are your hours on Saturday?', 'unknown', null, null],
    ['It has been dripping since yesterday', 'unknown', null, null],
    ['the tank is about 12 years old', 'unknown', null, null],
  ] as const)('reads %j as %s', (text, timing, date, part) => {
    const q = qualify(text);
    expect(q.timing).toBe(timing);
    if (date) expect(q.preferredDate).toBe(date);
    if (part) expect(q.preferredPartOfDay).toBe(part);
  });
});

describe('questions the profile answers', () => {
  it.each([
    ['What are your hours on Saturday?', ['hours']],
    ['How much to snake a drain?', ['price']],
    ['Are you licensed and insured?', ['licensed', 'insured']],
    ['Do you come out to Pflugerville?', ['area']],
    ['¿Trabajan los sábados?', ['hours']],
    ['¿Tienen licencia y seguro?', ['licensed', 'insured']],
    ['I texted an hour ago about my drain', []],
  ])('reads %j as asking about %j', (text, questions) => {
    expect(qualify(text).questions).toEqual(questions);
  });
});

describe('moving and cancelling a booked meeting', () => {
  const bookedMeeting = { start: '2026-11-30T16:00:00.000Z', end: '2026-11-30T16:30:00.000Z' };
  const history = [{ direction: 'out' as const, body: 'Your call is booked for Mon Nov 30, 10:00 AM CST.' }];

  it('reads a move with the new time asked for', () => {
    const q = qualify('Actually can we move it to Tuesday afternoon instead?', { history, bookedMeeting });
    expect(q).toMatchObject({
      meetingChange: 'reschedule',
      wantsMeeting: true,
      preferredDate: '2026-12-01',
      preferredPartOfDay: 'afternoon',
    });
  });

  it('reads a cancellation, and the booked day named in it is not a new time', () => {
    const q = qualify('I need to cancel my appointment on Monday, something came up', {
      history,
      bookedMeeting,
    });
    expect(q).toMatchObject({ meetingChange: 'cancel', wantsMeeting: false, timing: 'unknown' });
    expect(qualify('Necesito cancelar la cita del lunes', { history, bookedMeeting }).meetingChange).toBe(
      'cancel',
    );
  });

  it('does not read "instead" as a move when nothing is booked', () => {
    expect(qualify('Can you do Friday instead of Thursday for the estimate?').meetingChange).toBe('none');
  });
});

describe('language', () => {
  it.each([
    ['Hola, tengo una fuga de agua debajo del fregadero', undefined, 'es'],
    ['Bonjour, combien coûte un chauffe-eau ?', undefined, 'fr'],
    ['Do you fix leaky faucets?', undefined, 'en'],
    ['2', 'es', 'es'],
    ['ok', undefined, 'en'],
    ['Vivo en Kyle', 'es', 'es'],
  ] as const)('reads %j (known %s) as %s', (text, known, language) => {
    expect(detectLanguage(text, known)).toBe(language);
  });
});

describe('saying yes to our offer of a meeting', () => {
  it('reads a bare "yes" as wanting the meeting we offered', () => {
    const history = [
      {
        direction: 'out' as const,
        body: "Would you like us to set up a call? Reply YES and we'll send you times.",
      },
    ];
    expect(qualify('Yes please', { history }).wantsMeeting).toBe(true);
    expect(qualify('Yes please').wantsMeeting).toBe(false);
  });
});
