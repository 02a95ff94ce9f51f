import { describe, expect, it } from 'vitest';
import { demoBusinessProfile } from '#shared/config/business-profile.ts';
import { LeadlineConfigError, readLeadlineConfig } from '../../infra/config.ts';
import { cdkJsonContext } from './synth.ts';

const read = (context: Record<string, unknown>) => {
  const merged = { ...cdkJsonContext(), ...context };
  return readLeadlineConfig((key) => merged[key], Object.keys(merged));
};

describe('the deployment configuration (CDK context)', () => {
  it("reads cdk.json's context as it is", () => {
    const config = read({});
    expect(config.businessProfile.name).toBe(demoBusinessProfile.name);
    expect(config.crm).toBe('auto');
    expect(config.alarmEmail).toBeUndefined();
  });

  it('takes -c overrides as strings: JSON objects, numbers, quiet hours merged into the profile', () => {
    const config = read({
      'leadline:alarmEmail': 'ops@example.com',
      'leadline:speedToLeadObjectiveSeconds': '30',
      'leadline:quietHours': '{"start":"20:00","end":"09:00","strict":true}',
      'leadline:settings': '{"OPENAI_MODEL":"gpt-4.1-mini"}',
    });
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(config.speedToLeadObjectiveSeconds).toBe(30);
    expect(config.businessProfile.quietHours).toEqual({
      start: '20:00',
      end: '09:00',
      strict: true,
      liveReplyMinutes: 30,
    });
    expect(config.settings).toEqual({ OPENAI_MODEL: 'gpt-4.1-mini' });
  });

  it('stops synth with the key and what is wrong for a bad profile, CRM or e-mail', () => {
    const attempt = () =>
      read({
        'leadline:businessProfile': { ...demoBusinessProfile, timeZone: 'Mars/Olympus' },
        'leadline:crm': 'dynamics',
        'leadline:alarmEmail': 'not-an-email',
      });
    expect(attempt).toThrow(LeadlineConfigError);
    expect(attempt).toThrow(/leadline:businessProfile\.timeZone: expected an IANA time zone/);
    expect(attempt).toThrow(/leadline:crm:/);
    expect(attempt).toThrow(/leadline:alarmEmail:/);
  });

  it('refuses a secret in context, a setting the stack owns, an unknown provider and an unknown key', () => {
    const attempt = () =>
      read({
        'leadline:settings': { TWILIO_AUTH_TOKEN: 'x', LEADS_TABLE_NAME: 'mine', SMS_PROVIDER: 'pigeon' },
        'leadline:alarmMail': 'ops@example.com',
      });
    expect(attempt).toThrow(/TWILIO_AUTH_TOKEN: is a secret: put it in the "twilio" secret/);
    expect(attempt).toThrow(/LEADS_TABLE_NAME: is set by the stack itself/);
    expect(attempt).toThrow(/SMS_PROVIDER: expected one of sandbox, twilio/);
    expect(attempt).toThrow(/leadline:alarmMail: unknown setting/);
  });

  it("takes the console's sign-in domain prefix only as Cognito accepts it", () => {
    expect(read({ 'leadline:consoleDomainPrefix': 'brightside-leads' }).consoleDomainPrefix).toBe(
      'brightside-leads',
    );
    expect(read({}).consoleDomainPrefix).toBeUndefined();
    for (const prefix of ['Brightside', 'my-aws-console', '-leads', 'leads_console']) {
      expect(() => read({ 'leadline:consoleDomainPrefix': prefix }), prefix).toThrow(
        /leadline:consoleDomainPrefix:/,
      );
    }
  });
});
