import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { findFreeSlots } from '#shared/domain/slots.ts';
import { GoogleCalendarFake } from '../fakes/google-calendar-fake.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const CALENDAR_ID = 'bookings@brightside.example';
const OAUTH = {
  clientId: 'client-1.apps.googleusercontent.com',
  clientSecret: 'secret-1',
  refreshToken: '1//refresh',
};
const profile = BusinessProfile.parse(demoBusinessProfile);

describe('a business on Google Calendar, on the local runtime against a loopback Google', () => {
  let fake: GoogleCalendarFake;
  let pipeline: TestPipeline;
  let blocked: { start: string; end: string };

  beforeAll(async () => {
    fake = await GoogleCalendarFake.start({ oauth: OAUTH });
    // The first day that would have free slots is busy all day in the calendar.
    const [first] = findFreeSlots({
      from: new Date(),
      timeZone: profile.timeZone,
      hours: profile.hours,
      durationMinutes: profile.meeting.durationMinutes,
      minNoticeMinutes: profile.meeting.minNoticeMinutes,
      busy: [],
      count: 1,
    });
    if (!first) throw new Error('the demo profile offers no slot in the next two weeks');
    blocked = {
      start: first.start.toISOString(),
      end: new Date(first.start.getTime() + 14 * 3_600_000).toISOString(),
    };
    fake.addCalendar(CALENDAR_ID, [blocked]);
    pipeline = await startTestPipeline({
      env: {
        CALENDAR_PROVIDER: 'google',
        GOOGLE_CALENDAR_ID: CALENDAR_ID,
        GOOGLE_CLIENT_ID: OAUTH.clientId,
        GOOGLE_CLIENT_SECRET: OAUTH.clientSecret,
        GOOGLE_REFRESH_TOKEN: OAUTH.refreshToken,
        GOOGLE_CALENDAR_ROOT_URL: fake.rootUrl,
        GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
      },
    });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await fake?.close();
  });

  it("offers slots from the calendar's free/busy and books the one picked as an event", async () => {
    const phone = '+15125550199';
    await pipeline.sms(
      phone,
      'Hi, this is Maria. I want a quote for a bathroom remodel in Austin. Can we schedule a call?',
    );
    await pipeline.settle();

    expect(fake.http.requestsTo('POST', '/calendar/v3/freeBusy').length).toBeGreaterThanOrEqual(1);
    const offered =
      (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone)?.offeredSlots ?? [];
    expect(offered.length).toBe(profile.meeting.slotsOffered);
    for (const slot of offered) {
      expect(
        Date.parse(slot.end) <= Date.parse(blocked.start) ||
          Date.parse(slot.start) >= Date.parse(blocked.end),
      ).toBe(true);
    }

    await pipeline.sms(phone, '1');
    await pipeline.settle();

    const [event] = fake.events(CALENDAR_ID);
    expect(fake.events(CALENDAR_ID)).toHaveLength(1);
    expect(event?.start).toBe(offered[0]?.start);
    expect(event?.end).toBe(offered[0]?.end);
    expect(event?.summary).toContain('Maria');
    expect(event?.description).toContain(`Phone: ${phone}`);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
    expect(lead?.status).toBe('booked');
    expect(lead?.meetings[0]?.start).toBe(offered[0]?.start);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === phone,
    );
    expect(texts).toHaveLength(2);
    expect(texts[1]?.body).toMatch(/is booked for/);
    // The sandbox calendar was not used.
    expect((await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'booking')).toEqual([]);
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
