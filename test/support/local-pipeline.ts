import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twilioSignature } from '#shared/adapters/twilio/twilio-webhook.ts';
import { addCalendarDays, atLocalMinutes, localParts, parseHhMm } from '#shared/domain/time.ts';
import { inboundEmailRequest, newMessageSid, signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import {
  DEV_DEFAULTS,
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from '../../scripts/local/runtime.ts';

export const BUSINESS_NUMBER = '+15125550100';

/**
 * The next Tuesday at `time` in `timeZone` (ISO 8601, UTC), at least a day ahead: a clock start
 * inside business hours and every calling window, so business-initiated texts go at once.
 */
export const nextTuesdayAt = (time: string, timeZone = 'America/Chicago'): string => {
  const today = localParts(new Date(Date.now() + 86_400_000), timeZone);
  for (let days = 0; days < 8; days++) {
    const date = addCalendarDays(today, days);
    if (date.weekday === 'tue') return atLocalMinutes(date, parseHhMm(time), timeZone).toISOString();
  }
  throw new Error('no Tuesday within a week');
};

export interface TestPipeline {
  runtime: LocalRuntime;
  dataDir: string;
  /** Posts a signed Twilio SMS webhook; resolves with the HTTP answer. */
  sms(from: string, body: string, options?: { messageSid?: string; signWith?: string }): Promise<Response>;
  email(options: {
    from: string;
    subject: string;
    text: string;
    html?: string;
    messageId?: string;
    auth?: string;
  }): Promise<Response>;
  /** Posts a signed Twilio Voice webhook (`voice` or `dial-status`) with these call parameters. */
  call(path: 'voice' | 'voice/dial-status', params: Record<string, string>): Promise<Response>;
  /** Moves the pipeline's clock forward (timers fire), then waits for the pipeline to settle. */
  advance(ms: number): Promise<void>;
  /** Waits until every queue is empty and no function runs. */
  settle(): Promise<void>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** The local runtime on a free port with its own data folder, as `npm start` runs it. */
export const startTestPipeline = async (
  options: Partial<Omit<LocalRuntimeOptions, 'port' | 'dataDir'>> & { dataDir?: string } = {},
): Promise<TestPipeline> => {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'leadline-e2e-')));
  const runtime = await startLocalRuntime({
    visibilityTimeoutSeconds: 1,
    ...(process.env.LEADLINE_TRACE && { trace: (line: string) => console.log(line) }),
    ...options,
    // Functions log WARN and up when run by hand; tests keep quiet unless LOG_LEVEL asks.
    env: { POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT', ...options.env },
    port: 0,
    dataDir,
  });
  const smsUrl = `${runtime.url}/webhooks/twilio/sms`;
  return {
    runtime,
    dataDir,
    sms: (from, body, smsOptions = {}) => {
      const request = signedSmsRequest({
        publicUrl: smsUrl,
        authToken: smsOptions.signWith ?? DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
        from,
        to: BUSINESS_NUMBER,
        body,
        messageSid: smsOptions.messageSid ?? newMessageSid(),
      });
      return fetch(request.url, request.init);
    },
    email: (emailOptions) => {
      const request = inboundEmailRequest({
        url: `${runtime.url}/webhooks/sendgrid/inbound`,
        basicAuth: emailOptions.auth ?? DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH,
        to: 'hello@leadline.example',
        ...emailOptions,
      });
      return fetch(request.url, request.init);
    },
    call: (path, params) => {
      const url = `${runtime.url}/webhooks/twilio/${path}`;
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature({
            authToken: options.env?.TWILIO_AUTH_TOKEN ?? DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
            url,
            params,
          }),
        },
        body: new URLSearchParams(params).toString(),
      });
    },
    advance: async (ms) => {
      await runtime.drain(20_000);
      await runtime.clock.advance(ms);
      await runtime.drain(20_000);
    },
    settle: () => runtime.drain(20_000),
    stop: async (stopOptions = {}) => {
      await runtime.close();
      if (!stopOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
};
