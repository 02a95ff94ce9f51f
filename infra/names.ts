import { EVENT_BUS_NAME } from '#shared/pipeline.ts';

export { deadLetterQueueName, queueName } from '#shared/pipeline.ts';

/**
 * Physical names the stack gives what people and scripts look up by name: the bus (from the
 * topology), each subscriber's queue and dead-letter queue, and the provider secrets. One
 * Leadline per account and region, like the bus name the topology fixes.
 */
export const PREFIX = EVENT_BUS_NAME;

export const secretName = (group: string) => `${PREFIX}/${group}`;

/** `crm-sync` → `CrmSync`: construct ids, output names. */
export const pascal = (name: string) =>
  name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
