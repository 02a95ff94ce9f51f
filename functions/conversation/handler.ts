import {
  FollowUpDue,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  MeetingNoShowReported,
  MeetingReminderDue,
  MeetingSlotsOffered,
  ReplySent,
  RepResponded,
} from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { leadMessenger } from '#shared/wiring/messaging.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { timers } from '#shared/wiring/timers.ts';
import { sendFollowUp } from './follow-up.ts';
import { sendNoShowFollowUp, sendReminder } from './reminder.ts';
import { trackConversation } from './track.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'conversation',
  accepts: [
    LeadQualified,
    LeadScored,
    ReplySent,
    MeetingSlotsOffered,
    MeetingBooked,
    MeetingCancelled,
    LeadOptedOut,
    LeadOptedIn,
    FollowUpDue,
    MeetingReminderDue,
    RepResponded,
    MeetingNoShowReported,
  ],
  // A redelivery changes nothing twice: the stage is a fold (the same event moves it nowhere new),
  // the follow-up and reminder timers are named from their facts (set once by name), and every
  // text goes through the messenger's claim, keyed on its step or reminder.
  dedupe: 'own-writes',
  onInvoke: (context) => leadMessenger().registerLambdaContext(context),
  process: async (event, { logger, metrics }) => {
    const deps = {
      store: leadStore(),
      messenger: leadMessenger(),
      timers: timers(),
      publisher: eventPublisher(),
      profile,
      now,
    };
    if (event.detailType === 'Follow-Up Due') {
      const outcome = await sendFollowUp(event.detail, deps);
      if (outcome.status === 'sent' || outcome.status === 'held')
        metrics.addMetric(MetricName.FollowUpsSent, 'Count', 1);
      logger.info('Follow-up handled', { step: event.detail.step, status: outcome.status });
      return;
    }
    if (event.detailType === 'Meeting Reminder Due') {
      const outcome = await sendReminder(event.detail, deps);
      if (outcome.status === 'sent' || outcome.status === 'held')
        metrics.addMetric(MetricName.RemindersSent, 'Count', 1);
      logger.info('Meeting reminder handled', { reminder: event.detail.reminder, status: outcome.status });
      return;
    }
    const { repliedAfterFollowUp } = await trackConversation(event, deps);
    if (event.detailType === 'Meeting No-Show Reported') {
      const outcome = await sendNoShowFollowUp(event.detail, deps);
      logger.info('No-show follow-up', { meetingId: event.detail.meetingId, status: outcome.status });
    }
    if (repliedAfterFollowUp) metrics.addMetric(MetricName.RepliesAfterFollowUp, 'Count', 1);
  },
});
