import * as z from 'zod';
import type { EventDefinition } from './envelope.ts';

/** JSON Schema Draft 4: the form an EventBridge schema registry takes for JSON Schema (`JSONSchemaDraft4`). */
export const JSON_SCHEMA_DRAFT_4 = 'http://json-schema.org/draft-04/schema#';

/** `Lead Message Received` → `LeadMessageReceived`. */
export const eventTypeName = (detailType: string) => detailType.replaceAll(' ', '');

/**
 * A catalog event as JSON Schema Draft 4, for consumers outside Leadline: the whole EventBridge
 * event (envelope fields, `detail-type` and `source` fixed to the event's), its `detail` converted
 * from the zod schema as it is published (defaults applied). EventBridge names a schema
 * `<source>@<TypeName>` and generates code bindings from it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schema.html
 */
export const eventJsonSchema = (event: EventDefinition): Record<string, unknown> => {
  const { $schema: _draft, ...detail } = z.toJSONSchema(event.schema, {
    target: 'draft-04',
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const text = { type: 'string' };
  return {
    $schema: JSON_SCHEMA_DRAFT_4,
    title: eventTypeName(event.detailType),
    description: `Leadline "${event.detailType}" from ${event.source}, as EventBridge delivers it`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: text,
      id: text,
      'detail-type': { type: 'string', enum: [event.detailType] },
      source: { type: 'string', enum: [event.source] },
      account: text,
      time: { type: 'string', format: 'date-time' },
      region: text,
      resources: { type: 'array', items: text },
      detail,
    },
  };
};
