import { eventBridgeClient } from '#shared/adapters/aws/clients.ts';
import { EventBridgePublisher } from '#shared/adapters/aws/eventbridge-publisher.ts';
import { readStorageSettings } from '#shared/config/settings.ts';

/**
 * What most functions need: their storage settings and the bus. Kept apart from the pipeline's
 * providers (`wiring/pipeline.ts`) so a webhook bundle carries none of them. Each dependency is
 * built on first use and kept for the life of the process (a Lambda execution environment); a
 * function that never uses one does not bundle it (`once` is free of side effects).
 */
// Building nothing until called, `once(...)` has no side effects: a bundle leaves out the wiring
// (and the SDK clients) its function never uses.
export const once = /* @__NO_SIDE_EFFECTS__ */ <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
};

export const storageSettings = once(readStorageSettings);

export const eventPublisher = once(
  () => new EventBridgePublisher(eventBridgeClient(), storageSettings().EVENT_BUS_NAME),
);
