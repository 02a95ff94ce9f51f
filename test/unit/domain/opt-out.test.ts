import { describe, expect, it } from 'vitest';
import { classifyKeyword, consentKeyword } from '#shared/domain/opt-out.ts';

describe('classifyKeyword', () => {
  describe('carrier keywords as the whole message', () => {
    it.each([
      'STOP',
      'stop',
      'Stop.',
      '  STOP!!! ',
      '"stop"',
      'STOPALL',
      'stop all',
      'UNSUBSCRIBE',
      'Cancel',
      'END',
      'quit',
      'REVOKE',
      'optout',
      'OPT OUT',
      'opt-out',
      'Opt  Out',
      'STOP 🛑',
    ])('treats %j as an opt-out', (body) => {
      expect(classifyKeyword(body)).toBe('opt_out');
    });

    it.each(['START', 'start', 'Unstop', ' START. '])('treats %j as an opt-in', (body) => {
      expect(classifyKeyword(body)).toBe('opt_in');
    });

    it.each(['HELP', 'help?', 'Info', 'INFO.'])('treats %j as a help request', (body) => {
      expect(classifyKeyword(body)).toBe('help');
    });

    it.each(['YES', 'yes', 'Yes!'])('does not treat %j as an opt-in: leads say yes to questions', (body) => {
      expect(classifyKeyword(body)).toBeNull();
    });
  });

  describe('revocation by any reasonable means (FCC 24-18)', () => {
    it.each([
      'please stop',
      'Stop please',
      'STOP NOW',
      'stop it',
      'Please stop texting me',
      'stop messaging me.',
      'Can you stop contacting me',
      'STOP TEXTING',
      'stop sending me texts',
      'Remove me from your list',
      'please remove me',
      'take me off your list',
      'remove my number from your list',
      "Don't text me again",
      'dont text me',
      'don\u2019t message me',
      'Do not contact me',
      'please unsubscribe me',
      'I want to opt out',
      'opt me out please',
      'Leave me alone',
      'no more texts',
      'Lose my number',
      'I already hired someone. Please stop texting me.',
    ])('treats %j as an opt-out', (body) => {
      expect(classifyKeyword(body)).toBe('opt_out');
    });
  });

  describe('ordinary messages that only look like keywords', () => {
    it.each([
      "the leak won't stop",
      'Can you stop by tomorrow?',
      'my drain stopped working',
      'The water will not stop running',
      'when does your crew start?',
      'I need help with my water heater',
      'Can I get more info on pricing?',
      'Please cancel my appointment on Tuesday',
      'I want to end this leak for good',
      'We quit using the old tub',
      "don't call me, text me instead",
      "Don't text me before 9am please",
      'Stop at the gate and call',
      'start date is flexible',
      'yes please come tomorrow',
      '',
      '   ',
      '1',
    ])('does not classify %j', (body) => {
      expect(classifyKeyword(body)).toBeNull();
    });
  });
});

describe('consentKeyword', () => {
  it("takes Twilio's OptOutType first, then the rules, reading an email as an email", () => {
    expect(consentKeyword({ body: 'whatever', optOutType: 'START' })).toBe('opt_in');
    expect(consentKeyword({ body: 'STOP', automated: true })).toBeNull();
    expect(consentKeyword({ body: '', subject: 'Re: Unsubscribe', channel: 'email' })).toBe('opt_out');
    expect(consentKeyword({ body: 'Big sale!\n\nUnsubscribe', channel: 'email' })).toBeNull();
    expect(consentKeyword({ body: 'Big sale!\n\nUnsubscribe' })).toBe('opt_out');
  });
});
