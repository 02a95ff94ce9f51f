import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { BusySlot, CalendarPort } from '#shared/ports/outbound.ts';
import { SlotUnavailableError } from '#shared/ports/outbound.ts';
import type { SandboxOutbox } from './sandbox-outbox.ts';

/**
 * A calendar that starts empty and keeps its bookings; one booking per start time, taken with a
 * conditional write so two leads cannot book the same slot.
 */
export class SandboxCalendar implements CalendarPort {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: SandboxOutbox,
  ) {}

  async busy(range: { from: Date; to: Date }): Promise<BusySlot[]> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': 'SANDBOX_CALENDAR',
          // A booking that starts before `from` may still overlap it: look a day back.
          ':from': new Date(range.from.getTime() - 86_400_000).toISOString(),
          ':to': range.to.toISOString(),
        },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => ({
      start: new Date(String(item.start)),
      end: new Date(String(item.end)),
    })).filter((slot) => slot.end > range.from && slot.start < range.to);
  }

  async book(booking: Parameters<CalendarPort['book']>[0]): Promise<{ eventId: string }> {
    const key = { pk: 'SANDBOX_CALENDAR', sk: booking.start.toISOString() };
    const eventId = `evt-${randomUUID()}`;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            eventId,
            bookingKey: booking.key,
            start: booking.start.toISOString(),
            end: booking.end.toISOString(),
            title: booking.title,
            attendee: booking.attendee,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      if (Item?.bookingKey === booking.key) return { eventId: String(Item.eventId) };
      throw new SlotUnavailableError(`The slot at ${booking.start.toISOString()} is already booked`);
    }
    await this.outbox.record({
      kind: 'booking',
      to: 'sandbox-calendar',
      body: `${booking.title} at ${booking.start.toISOString()}`,
      details: { eventId, ...booking, start: booking.start.toISOString(), end: booking.end.toISOString() },
    });
    return { eventId };
  }

  async cancel(booking: { eventId: string; start: Date }): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: 'SANDBOX_CALENDAR', sk: booking.start.toISOString() },
          // Only this booking: the time may have been booked again by someone else since.
          ConditionExpression: 'eventId = :eventId',
          ExpressionAttributeValues: { ':eventId': booking.eventId },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      return;
    }
    await this.outbox.record({
      kind: 'booking-cancelled',
      to: 'sandbox-calendar',
      body: `Cancelled ${booking.eventId} at ${booking.start.toISOString()}`,
      details: { eventId: booking.eventId, start: booking.start.toISOString(), cancelled: true },
    });
  }
}
