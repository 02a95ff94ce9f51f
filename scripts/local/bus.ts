/**
 * The local event bus: each rule is a subscription (an event pattern and a queue). An event is
 * delivered, as the EventBridge envelope's JSON (exactly what an SQS target receives as its body), to
 * every queue whose pattern matches it.
 */
import type { DurableQueue } from './durable-queue.ts';
import { assertValidEventPattern, type EventPattern, matchesEventPattern } from './event-pattern.ts';
import type { EventBridgeEnvelope } from './eventbridge-stand-in.ts';

export interface BusSubscription {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly queue: DurableQueue;
}

export interface LocalBusOptions {
  /** Called after an event has been durably queued for the subscription (e.g. to wake its poller). */
  readonly onDelivered?: (name: string) => void;
}

export class LocalBus {
  private readonly subscriptions: readonly BusSubscription[];
  private readonly onDelivered: ((name: string) => void) | undefined;

  constructor(subscriptions: readonly BusSubscription[], options: LocalBusOptions = {}) {
    const names = new Set<string>();
    for (const subscription of subscriptions) {
      if (names.has(subscription.name)) throw new Error(`Duplicate bus subscription "${subscription.name}"`);
      names.add(subscription.name);
      try {
        assertValidEventPattern(subscription.pattern);
      } catch (error) {
        throw new Error(`Subscription "${subscription.name}": ${(error as Error).message}`, { cause: error });
      }
    }
    this.subscriptions = [...subscriptions];
    this.onDelivered = options.onDelivered;
  }

  /** The names of the subscriptions whose pattern matches the event (nothing is delivered). */
  match(envelope: EventBridgeEnvelope | Readonly<Record<string, unknown>>): string[] {
    return this.subscriptions.filter((s) => matchesEventPattern(s.pattern, envelope)).map((s) => s.name);
  }

  /**
   * Queues the event on every matching subscription's queue and returns their names. Resolves once
   * every copy is on disk; rejects if any queue refused it (copies already queued stay queued:
   * delivery is at least once).
   */
  async publish(envelope: EventBridgeEnvelope | Readonly<Record<string, unknown>>): Promise<string[]> {
    const matched = this.subscriptions.filter((s) => matchesEventPattern(s.pattern, envelope));
    if (matched.length === 0) return [];
    const body = JSON.stringify(envelope);
    const outcomes = await Promise.allSettled(
      matched.map(async (subscription) => {
        await subscription.queue.send(body);
        try {
          this.onDelivered?.(subscription.name);
        } catch {
          // the event is queued; a failing hook must not turn that into a failed publish
        }
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return matched.map((s) => s.name);
  }

  /** Publishes several events (one PutEvents call's worth); returns the matched names per event. */
  async publishAll(
    envelopes: readonly (EventBridgeEnvelope | Readonly<Record<string, unknown>>)[],
  ): Promise<string[][]> {
    const results: string[][] = [];
    for (const envelope of envelopes) results.push(await this.publish(envelope));
    return results;
  }
}
