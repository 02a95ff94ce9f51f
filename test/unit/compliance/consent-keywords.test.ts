import { describe, expect, it } from 'vitest';
import { decideConsentKeyword, matchConsentKeyword } from '#shared/compliance/consent-keywords.ts';
import rawData from '#shared/compliance/data/consent-keywords.json' with { type: 'json' };
import { compilePhrasePattern, PatternSyntaxError } from '#shared/compliance/phrase-pattern.ts';

const sms = (text: string) => decideConsentKeyword(text, { channel: 'sms' });
const email = (text: string, subject?: string) => decideConsentKeyword(text, { channel: 'email', subject });

describe('decideConsentKeyword', () => {
  it.each([
    'STOP STOP STOP',
    'STOP. STOP.',
    'Not interested. Stop',
    'No thanks, stop',
    'wrong number, stop',
    'Quit texting me',
    'Please remove my number',
    'END texts',
    'revoke consent',
    'Stopp',
    'STOP\n\nSent from my iPhone',
    'STOP\nSent from my iPhone\nJohn Smith\n512-555-0100',
    'PARAR',
    'ALTO',
    'BAJA',
    'CANCELAR',
    'No más mensajes',
    'ARRET',
    'ARRÊT',
  ])('reads %j as an opt-out', (text) => {
    expect(sms(text)).toBe('opt_out');
  });

  it.each([
    'please remove me from the 9am slot, 11 works better',
    'Could you take me off the waitlist and book me Tuesday?',
    'Cancel, we found the shutoff ourselves. Can you still come look at the heater?',
    'The leak will not stop',
    'La fuga no para',
  ])('does not read %j as an opt-out', (text) => {
    expect(sms(text)).toBeNull();
  });

  it('keeps carrier keywords exact: a weak keyword with anything else is not one', () => {
    expect(sms('cancel')).toBe('opt_out');
    expect(sms('Cancel please')).toBeNull();
    expect(sms('END')).toBe('opt_out');
    expect(sms('the end')).toBeNull();
  });

  it('reads opt-in and help only as whole-message keywords, never "yes"', () => {
    expect(sms('START')).toBe('opt_in');
    expect(sms('Unstop.')).toBe('opt_in');
    expect(sms('HELP')).toBe('help');
    expect(sms('AYUDA')).toBe('help');
    expect(sms('Yes')).toBeNull();
    expect(sms('Start date is flexible')).toBeNull();
    expect(sms('Help! Water everywhere')).toBeNull();
  });

  it('lets an opt-out win over other keywords in the same message', () => {
    expect(sms('START STOP')).toBe('opt_out');
    expect(sms('help stop')).toBe('opt_out');
  });

  describe('by email', () => {
    it('does not opt out a customer who only refuses marketing while asking for service', () => {
      expect(
        email(
          "Please don't add me to any mailing list, I want to unsubscribe from marketing, just fix my drain",
          'Kitchen drain',
        ),
      ).toBeNull();
    });

    it('opts out a marketing-only refusal that asks for nothing else', () => {
      expect(email('Please remove me from your mailing list.')).toBe('opt_out');
      expect(email('I want to unsubscribe from your marketing emails.')).toBe('opt_out');
    });

    it.each([
      'Big savings this week!\n\nUnsubscribe here',
      'Tips for winter.\n\nTo unsubscribe from these emails, click here.',
      'News from us.\n\nUnsubscribe',
      'News.\nUnsubscribe | Manage preferences | View in browser',
      'Ofertas.\n\nSi no desea recibir más correos, haga clic aquí para darse de baja.',
    ])('ignores a mailing footer: %j', (text) => {
      expect(email(text, 'Newsletter')).toBeNull();
    });

    it('reads an opt-out in the subject', () => {
      expect(email('', 'Unsubscribe')).toBe('opt_out');
      expect(email('', 'Re: STOP')).toBe('opt_out');
      expect(email('See below', 'Please stop emailing me')).toBe('opt_out');
    });

    it('reads a one-word opt-out email body', () => {
      expect(email('Unsubscribe', 'Re: Your quote')).toBe('opt_out');
    });
  });

  it('names the rule that decided, for the consent ledger', () => {
    expect(matchConsentKeyword('STOP', { channel: 'sms' })?.rule).toMatchObject({
      kind: 'keyword',
      id: 'keyword:stop',
      source: 'ctia',
    });
    expect(matchConsentKeyword('pls stop texting me', { channel: 'sms' })).toMatchObject({
      action: 'opt_out',
      rule: { kind: 'phrase', source: 'leadline' },
      evidence: 'pls stop texting me',
    });
  });
});

describe('the consent keyword data', () => {
  it.each(rawData.phrases.map((p) => [p.language, p.example, p.pattern]))(
    '(%s) reads its own example %j as an opt-out',
    (_language, example, pattern) => {
      const match = matchConsentKeyword(example, { channel: 'sms' });
      expect(match?.action).toBe('opt_out');
      // The example is there to show the phrase: some entry decided, and this one matches it.
      expect(
        compilePhrasePattern(pattern).test(` ${match?.evidence} `) || match?.rule.kind === 'keyword',
      ).toBe(true);
    },
  );
});

describe('compilePhrasePattern', () => {
  const matches = (pattern: string, text: string) => compilePhrasePattern(pattern).test(` ${text} `);

  it('reads words, prefixes, alternatives, optional and nested groups, gaps, anchors and exclusions', () => {
    expect(matches('stop (text*|messag*) [me|us|this number]', 'please stop texting me')).toBe(true);
    expect(matches('stop (text*|messag*)', 'stop by tomorrow')).toBe(false);
    expect(matches('remove (me|my phone [number]) from', 'remove my phone from')).toBe(true);
    expect(matches('take me off ~ list', 'take me off your contact list')).toBe(true);
    expect(matches('^ go away $', 'go away')).toBe(true);
    expect(matches('^ go away $', 'please go away now')).toBe(false);
    expect(matches('lista !(de espera)', 'lista de espera')).toBe(false);
    expect(matches('lista !(de espera)', 'lista de correos')).toBe(true);
  });

  it.each(['stop (text', 'stop ]', '', 'stop (a||b)', 'stop $ now', 'STOP'])(
    'refuses the malformed pattern %j',
    (pattern) => {
      expect(() => compilePhrasePattern(pattern)).toThrow(PatternSyntaxError);
    },
  );
});
