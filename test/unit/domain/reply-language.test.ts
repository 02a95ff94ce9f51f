import { describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import { TEMPLATES, templatesFor } from '#shared/domain/reply/templates.ts';
import { composeReply, missingDetails, type ReplyContext } from '#shared/domain/reply.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const slots = [
  { start: new Date('2026-11-26T15:00:00Z'), end: new Date('2026-11-26T15:30:00Z') },
  { start: new Date('2026-11-26T20:00:00Z'), end: new Date('2026-11-26T20:30:00Z') },
];
const q = (overrides: Partial<Qualification> = {}) => blankQualification({ summary: 'x', ...overrides });
const ctx = (overrides: Partial<ReplyContext> = {}): ReplyContext => ({
  kind: 'first-reply',
  channel: 'sms',
  profile,
  lead: {},
  missing: [],
  timeZone: profile.timeZone,
  ...overrides,
});

describe('templates', () => {
  it('has every line in every language, and keeps the placeholders of English', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const english = TEMPLATES.en as Record<string, unknown>;
    for (const [language, templates] of Object.entries(TEMPLATES)) {
      for (const [key, value] of Object.entries(templates)) {
        if (
          typeof value === 'string' &&
          typeof english[key] === 'string' &&
          !['about', 'locale', 'meetingKindOther'].includes(key)
        ) {
          expect(placeholders(value), `${language}.${key}`).toEqual(placeholders(english[key] as string));
        }
      }
    }
  });

  it("uses the business's own wording where its profile overrides a line", () => {
    const own = BusinessProfile.parse({
      ...demoBusinessProfile,
      replyTemplates: { es: { thanksFirst: '¡Hola! Gracias por escribir a {business}.' } },
    });
    expect(templatesFor('es', own.replyTemplates).thanksFirst).toBe(
      '¡Hola! Gracias por escribir a {business}.',
    );
    expect(composeReply(ctx({ profile: own, language: 'es' })).text).toMatch(
      /^¡Hola! Gracias por escribir a Brightside/,
    );
    expect(() => templatesFor('es', { es: { thanksFirst: '' } })).toThrow();
  });

  it('falls back to English for a language without templates', () => {
    expect(composeReply(ctx({ language: 'fr' })).text).toMatch(/^Thanks for contacting/);
  });
});

describe('replies in Spanish', () => {
  it('answers a Spanish lead in Spanish, with the service name and price the profile gives in Spanish', () => {
    const reply = composeReply(
      ctx({
        language: 'es',
        lead: { name: 'María' },
        qualification: q({ service: 'Leak repair', questions: ['price'], language: 'es' }),
        missing: ['location'],
      }),
    );
    // Every character is kept: á, í, ó are not GSM-7, so the text goes as UCS-2 (issue 10).
    expect(reply.text).toBe(
      'Hola, María: ¡Gracias por contactar a Brightside Plumbing! Le podemos ayudar con eso: Reparación de fugas, desde $149. ¿En qué ciudad o código postal está? Responda STOP para no recibir más mensajes.',
    );
    expect(isGsm7(reply.text)).toBe(false);
  });

  it('offers times in Spanish, with the meeting kind and dates in Spanish', () => {
    const reply = composeReply(ctx({ kind: 'slots-offered', language: 'es', slots }));
    expect(reply.text).toContain('Estos son los horarios para una llamada con Brightside Plumbing:');
    expect(reply.text).toContain('1) jue 26 nov, 9:00 a.m. CST');
    expect(reply.text).toContain('Responda 1 o 2 para reservar.');
  });

  it('writes a Spanish email with a Spanish subject and sign-off', () => {
    const reply = composeReply(
      ctx({ channel: 'email', kind: 'meeting-booked', language: 'es', meeting: slots[0] }),
    );
    expect(reply.subject).toBe('Brightside Plumbing: su llamada está reservada');
    expect(reply.text).toMatch(
      /^Hola:\n\nSu llamada con Brightside Plumbing está reservada para el jue 26 nov/,
    );
    expect(reply.text.endsWith('Saludos cordiales,\nBrightside Plumbing')).toBe(true);
  });
});

describe('answers and next steps', () => {
  it('answers hours, licence and insurance from the profile', () => {
    const reply = composeReply(
      ctx({ qualification: q({ questions: ['hours', 'licensed', 'insured'] }), missing: ['need'] }),
    );
    expect(reply.text).toContain("We're open Mon-Sat 8am-6pm CT.");
    expect(reply.text).toContain('Yes, we are licensed by the Texas State Board of Plumbing Examiners.');
    expect(reply.text).toContain('We carry full liability insurance.');
    expect(reply.text).toContain('What can we help you with?');
  });

  it('says the team will answer a licence question the profile has no answer to', () => {
    const bare = BusinessProfile.parse({ ...demoBusinessProfile, credentials: {} });
    const reply = composeReply(ctx({ profile: bare, qualification: q({ questions: ['licensed'] }) }));
    expect(reply.text).toContain('Our team will get back to you on that.');
  });

  it('answers whether the town is served', () => {
    const reply = composeReply(ctx({ qualification: q({ questions: ['area'], location: 'Pflugerville' }) }));
    expect(reply.text).toContain('Yes, we serve Pflugerville.');
  });

  it('puts a person first in an emergency, and asks an email lead for a phone to call', () => {
    const emergency = q({ urgency: 'emergency', service: 'Leak repair', location: 'Round Rock' });
    const text = composeReply(ctx({ lead: { phone: '+15125550601' }, qualification: emergency })).text;
    expect(text).toContain('someone will call you right away');
    expect(text).not.toMatch(/set up a call|When do you need/);
    const email = composeReply(ctx({ channel: 'email', qualification: emergency })).text;
    expect(email).toContain('please reply with a phone number');
  });

  it('tells a hot lead with a phone that a person will call, and a booked lead how to change it', () => {
    expect(composeReply(ctx({ hot: true, lead: { phone: '+15125550601' } })).text).toContain(
      'Someone from our team will call you shortly.',
    );
    expect(composeReply(ctx({ kind: 'follow-up-reply', booked: true })).text).toContain(
      'Reply here if you need to change it.',
    );
  });

  it('never asks for what the conversation already told, nor when an urgent lead needs it', () => {
    expect(missingDetails(q({ urgency: 'urgent' }), { need: 'leak', location: 'Kyle', name: 'Jo' })).toEqual(
      [],
    );
    expect(
      missingDetails(q({}), { need: 'leak', location: 'Kyle', name: 'Jo', timing: 'this_week' }),
    ).toEqual([]);
    expect(missingDetails(q({ questions: ['hours'] }), {})).toEqual(['need']);
  });

  it('confirms a cancellation and a move with the old time', () => {
    const previousMeeting = slots[0];
    expect(composeReply(ctx({ kind: 'meeting-cancelled', previousMeeting })).text).toBe(
      "Your call with Brightside Plumbing on Thu Nov 26, 9:00 AM CST is cancelled. Reply here any time you'd like to book again.",
    );
    const moved = composeReply(ctx({ kind: 'meeting-moved', previousMeeting, slots: slots.slice(1) })).text;
    expect(moved).toBe(
      'Your call on Thu Nov 26, 9:00 AM CST is cancelled so you can pick a new time. Here are new times: 1) Thu Nov 26, 2:00 PM CST. Reply 1 to book it.',
    );
  });
});
