import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import {
  messagesPath,
  startTwilioFake,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twilioError,
} from '../fakes/twilio-fake.ts';
import {
  BUSINESS_NUMBER,
  nextTuesdayAt,
  startTestPipeline,
  type TestPipeline,
} from '../support/local-pipeline.ts';

const profile = BusinessProfile.parse({ ...demoBusinessProfile, missedCalls: { forwardTo: '+15125550142' } });

describe('a landline that calls, on the local runtime with Twilio', () => {
  let pipeline: TestPipeline;
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  const landline = '+15125550306';
  const textsTo = (to: string) =>
    twilio.fake
      .requestsTo('POST', messagesPath())
      .filter((r) => (r.body as Record<string, string>).To === to);

  beforeAll(async () => {
    twilio = await startTwilioFake();
    // Twilio refuses a text to a landline with 21614.
    twilio.fake.route('POST', messagesPath(), (request) =>
      (request.body as Record<string, string>).To === landline
        ? twilioError(400, 21614, 'To number: +15125550306, is not a mobile number')
        : twilio.take(request),
    );
    pipeline = await startTestPipeline({
      env: {
        BUSINESS_PROFILE: JSON.stringify(profile),
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        TWILIO_API_BASE_URL: twilio.url,
      },
      clockStart: nextTuesdayAt('10:00'),
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await twilio.close();
  });

  it('tries a landline once, then never texts it again on later calls', async () => {
    const signedCall = (callSid: string) =>
      pipeline.call('voice/dial-status', {
        CallSid: callSid,
        AccountSid: TEST_ACCOUNT_SID,
        From: landline,
        To: BUSINESS_NUMBER,
        DialCallStatus: 'no-answer',
      });
    expect((await signedCall('CA306')).status).toBe(200);
    await pipeline.settle();
    expect((await signedCall('CA307')).status).toBe(200);
    await pipeline.settle();

    expect(textsTo(landline)).toHaveLength(1);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === landline);
    expect(lead?.messages.find((m) => m.messageId === 'out-call-CA306')?.status).toBe('failed');
    expect(lead?.messages.some((m) => m.messageId === 'out-call-CA307')).toBe(false);
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
