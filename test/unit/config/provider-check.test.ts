import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#shared/config/env.ts';
import { checkProviders, describeProviderProblems } from '#shared/wiring/provider-check.ts';
import { readPlaceholders } from '../../../scripts/lib/env-example.ts';

const placeholders = readPlaceholders();
const SID = `AC${'0123456789abcdef'.repeat(2)}`;

const problemsOf = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(
    checkProviders(env, placeholders).problems.map((p) => [
      `${p.port} ${p.provider}`,
      Object.fromEntries(p.problems.map((s) => [s.setting, s.problem])),
    ]),
  );

describe('checkProviders (npm start, before anything starts)', () => {
  it('finds nothing wrong with the sandbox everywhere', () => {
    expect(checkProviders({}, placeholders)).toEqual({
      providers: {
        SMS_PROVIDER: 'sandbox',
        EMAIL_PROVIDER: 'sandbox',
        CRM_PROVIDER: 'sandbox',
        CALENDAR_PROVIDER: 'sandbox',
        CHAT_PROVIDER: 'sandbox',
      },
      problems: [],
    });
  });

  it('names every setting a provider turned on by one credential still lacks', () => {
    expect(problemsOf({ SALESFORCE_REFRESH_TOKEN: 'rt-123' })).toEqual({
      'CRM_PROVIDER salesforce': {
        SALESFORCE_CLIENT_ID: 'not set',
        SALESFORCE_CLIENT_SECRET: 'not set',
        SALESFORCE_INSTANCE_URL: 'not set',
      },
    });
  });

  it('names every credential of a provider named with nothing set', () => {
    expect(problemsOf({ SMS_PROVIDER: 'twilio' })).toEqual({
      'SMS_PROVIDER twilio': { TWILIO_ACCOUNT_SID: 'not set', TWILIO_AUTH_TOKEN: 'not set' },
    });
    expect(problemsOf({ CALENDAR_PROVIDER: 'google', GOOGLE_CALENDAR_ID: 'cal@acme.test' })).toEqual({
      'CALENDAR_PROVIDER google': {
        CALENDAR_PROVIDER: expect.stringMatching(
          /GOOGLE_SERVICE_ACCOUNT_JSON, or GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_REFRESH_TOKEN/,
        ),
      },
    });
  });

  it('refuses the .env.example placeholders, even those that look valid', () => {
    expect(
      problemsOf({ TWILIO_ACCOUNT_SID: placeholders.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: 'tok' }),
    ).toEqual({ 'SMS_PROVIDER twilio': { TWILIO_ACCOUNT_SID: 'still the .env.example placeholder' } });
    expect(problemsOf({ SENDGRID_API_KEY: placeholders.SENDGRID_API_KEY })).toEqual({
      'EMAIL_PROVIDER sendgrid': { SENDGRID_API_KEY: 'still the .env.example placeholder' },
    });
    expect(problemsOf({ SLACK_WEBHOOK_URL: placeholders.SLACK_WEBHOOK_URL })).toEqual({
      'CHAT_PROVIDER slack': { SLACK_WEBHOOK_URL: 'still the .env.example placeholder' },
    });
    expect(problemsOf({ BOOKING_LINK_URL: placeholders.BOOKING_LINK_URL })).toEqual({
      'CALENDAR_PROVIDER booking-link': { BOOKING_LINK_URL: 'still the .env.example placeholder' },
    });
  });

  it('passes a provider whose settings are complete, and says why each was chosen', () => {
    const check = checkProviders(
      {
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'tok',
        CRM_PROVIDER: 'hubspot',
        HUBSPOT_ACCESS_TOKEN: 'pat-na1-123',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B1/abc',
      },
      placeholders,
    );
    expect(check.problems).toEqual([]);
    expect(check.providers).toMatchObject({
      SMS_PROVIDER: 'twilio',
      CRM_PROVIDER: 'hubspot',
      CHAT_PROVIDER: 'slack',
    });
  });

  it('still refuses an unknown provider or two candidates outright', () => {
    expect(() => checkProviders({ SMS_PROVIDER: 'nexmo' })).toThrow(ConfigurationError);
    expect(() => checkProviders({ HUBSPOT_ACCESS_TOKEN: 'a', SALESFORCE_REFRESH_TOKEN: 'b' })).toThrow(
      /both set; name one/,
    );
  });

  it('describes problems one port per line, then one setting per line', () => {
    const { problems } = checkProviders({ SALESFORCE_REFRESH_TOKEN: 'rt-123' }, placeholders);
    expect(describeProviderProblems(problems)).toEqual([
      '  CRM salesforce (SALESFORCE_REFRESH_TOKEN set):',
      '    SALESFORCE_CLIENT_ID: not set',
      '    SALESFORCE_CLIENT_SECRET: not set',
      '    SALESFORCE_INSTANCE_URL: not set',
    ]);
  });
});

describe('readPlaceholders', () => {
  it('lists the illustrative values of .env.example, not its real defaults', () => {
    expect(placeholders).toMatchObject({
      TWILIO_ACCOUNT_SID: expect.stringMatching(/^ACx+$/),
      SALESFORCE_INSTANCE_URL: 'https://your-domain.my.salesforce.com',
    });
    expect(placeholders).not.toHaveProperty('SALESFORCE_API_VERSION');
    expect(placeholders).not.toHaveProperty('PORT');
  });
});
