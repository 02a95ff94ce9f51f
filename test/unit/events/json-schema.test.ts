import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { eventJsonSchema } from '#events/json-schema.ts';
import { allEvents, sampleEnvelope } from '#events/samples.ts';

describe('the event catalog as JSON Schema (what the schema registry publishes)', () => {
  it('accepts each event as the bus delivers it, and refuses another event’s type or a broken detail', () => {
    for (const event of allEvents) {
      const schema = eventJsonSchema(event);
      // Read back by an independent reader of JSON Schema (zod's), not the zod schema it came from.
      const reader = z.fromJSONSchema(schema as z.core.JSONSchema.JSONSchema);
      const envelope = JSON.parse(JSON.stringify(sampleEnvelope(event as never)));
      expect(reader.safeParse(envelope).success, event.detailType).toBe(true);
      expect(
        reader.safeParse({ ...envelope, 'detail-type': 'Something Else' }).success,
        event.detailType,
      ).toBe(false);
      expect(
        reader.safeParse({ ...envelope, detail: { ...envelope.detail, leadId: '' } }).success,
        event.detailType,
      ).toBe(false);
    }
  });
});
