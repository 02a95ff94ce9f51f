import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '#shared/config/env.ts';
import { readBookingPageSecrets, requireBookingPageSecret } from '#shared/inbound/booking-page-settings.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';

describe('booking pages’ webhook secrets', () => {
  it('refuses at start-up a secret shorter than 16 characters, naming the variable and the rule', () => {
    expect(() => readBookingPageSecrets({ CALCOM_WEBHOOK_SECRET: 'calsecret' })).toThrow(ConfigurationError);
    expect(() => readBookingPageSecrets({ CALENDLY_WEBHOOK_SIGNING_KEY: 'short' })).toThrow(
      /CALENDLY_WEBHOOK_SIGNING_KEY: the Calendly signing key must be at least 16 characters/,
    );
    expect(readBookingPageSecrets({ CALCOM_WEBHOOK_SECRET: 'a'.repeat(16) })).toEqual({
      CALCOM_WEBHOOK_SECRET: 'a'.repeat(16),
    });
  });

  it('at runtime refuses with 503 and logs the setting and its rule, not a bare validation error', () => {
    const logger = { warn: vi.fn(), error: vi.fn() };
    let refused: unknown;
    try {
      requireBookingPageSecret('CALCOM_WEBHOOK_SECRET', logger, { CALCOM_WEBHOOK_SECRET: 'calsecret' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(WebhookRejection);
    expect((refused as WebhookRejection).statusCode).toBe(503);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/CALCOM_WEBHOOK_SECRET.*at least 16 characters/),
    );
    expect(() => requireBookingPageSecret('CALCOM_WEBHOOK_SECRET', logger, {})).toThrow(WebhookRejection);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/CALCOM_WEBHOOK_SECRET is not set/));
  });
});
