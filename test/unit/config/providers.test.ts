import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#shared/config/env.ts';
import { chooseProvider } from '#shared/config/providers.ts';

describe('chooseProvider', () => {
  it('uses the sandbox when nothing is named and no credentials are set', () => {
    expect(chooseProvider('SMS_PROVIDER', {})).toBe('sandbox');
    expect(chooseProvider('CRM_PROVIDER', {})).toBe('sandbox');
  });

  it('turns a provider on when its credentials are present', () => {
    expect(chooseProvider('SMS_PROVIDER', { TWILIO_ACCOUNT_SID: 'AC123' })).toBe('twilio');
    expect(chooseProvider('CRM_PROVIDER', { HUBSPOT_ACCESS_TOKEN: 'pat' })).toBe('hubspot');
  });

  it('ignores credentials set to the empty string', () => {
    expect(chooseProvider('SMS_PROVIDER', { TWILIO_ACCOUNT_SID: '' })).toBe('sandbox');
  });

  it('keeps the sandbox when it is named, whatever credentials are present', () => {
    expect(chooseProvider('SMS_PROVIDER', { SMS_PROVIDER: 'sandbox', TWILIO_ACCOUNT_SID: 'AC123' })).toBe(
      'sandbox',
    );
  });

  it('refuses an unknown provider, naming the choices', () => {
    expect(() => chooseProvider('SMS_PROVIDER', { SMS_PROVIDER: 'nexmo' })).toThrow(
      /SMS_PROVIDER: expected one of sandbox, twilio/,
    );
  });

  it('refuses a named provider whose credentials are missing, naming them', () => {
    expect(() => chooseProvider('CRM_PROVIDER', { CRM_PROVIDER: 'hubspot' })).toThrow(ConfigurationError);
    expect(() => chooseProvider('CRM_PROVIDER', { CRM_PROVIDER: 'hubspot' })).toThrow(/HUBSPOT_ACCESS_TOKEN/);
  });

  it('asks to choose when two providers of one port have credentials', () => {
    const env = { HUBSPOT_ACCESS_TOKEN: 'pat', SALESFORCE_REFRESH_TOKEN: 'rt' };
    expect(() => chooseProvider('CRM_PROVIDER', env)).toThrow(/both set; name one/);
    expect(chooseProvider('CRM_PROVIDER', { ...env, CRM_PROVIDER: 'salesforce' })).toBe('salesforce');
  });
});
