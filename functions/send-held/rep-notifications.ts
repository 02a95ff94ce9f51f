import type { Logger } from '@aws-lambda-powertools/logger';
import { RepNotified } from '#events/catalog.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';
import type { SmsSender } from '#shared/ports/outbound.ts';

/**
 * Sends the rep notifications held for the reps' notify hours that are due, and announces each
 * (`Rep Notified`). A provider failure for now puts the notification back for the next run and
 * throws; a permanent refusal (the rep's number is invalid) is logged and dropped.
 * Resolves with how many went out.
 */
export const dispatchRepNotifications = async (deps: {
  store: Pick<LeadStore, 'takeDueRepNotifications' | 'holdRepNotification'>;
  sms: Pick<SmsSender, 'send'>;
  smsNumber: string;
  publisher: EventPublisher;
  logger: Pick<Logger, 'warn'>;
  now: Date;
  limit?: number;
}): Promise<number> => {
  let sent = 0;
  for (const held of await deps.store.takeDueRepNotifications(deps.now, deps.limit ?? 25)) {
    try {
      await deps.sms.send({ to: held.to, from: deps.smsNumber, body: held.body });
    } catch (error) {
      if (!(error instanceof PermanentError)) {
        await deps.store.holdRepNotification(held);
        throw error;
      }
      deps.logger.warn('Held rep notification refused for good', { repId: held.repId, error: error.message });
      continue;
    }
    sent += 1;
    await deps.publisher.publish(RepNotified, {
      version: 1,
      leadId: held.leadId,
      correlationId: held.correlationId,
      repId: held.repId,
      via: 'sms',
      reason: held.alert,
    });
  }
  return sent;
};
