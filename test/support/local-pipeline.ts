import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inboundEmailRequest, newMessageSid, signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import {
  DEV_DEFAULTS,
  type LocalRuntime,
  type LocalRuntimeOptions,
  startLocalRuntime,
} from '../../scripts/local/runtime.ts';

export const BUSINESS_NUMBER = '+15125550100';

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
    settle: () => runtime.drain(20_000),
    stop: async (stopOptions = {}) => {
      await runtime.close();
      if (!stopOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
};
