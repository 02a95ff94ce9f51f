import { CfnOutput } from 'aws-cdk-lib';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import type { EventDefinition } from '#events/envelope.ts';
import { eventJsonSchema, eventTypeName } from '#events/json-schema.ts';

/**
 * The event catalog in an EventBridge schema registry: one JSON Schema (Draft 4) per event, named
 * `<source>@<TypeName>` as EventBridge names discovered schemas, so a consumer outside Leadline can
 * download code bindings for it or validate against it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schema-registry.html
 */
export class LeadlineEventSchemas extends Construct {
  readonly registry: CfnRegistry;

  constructor(
    scope: Construct,
    id: string,
    props: { registryName: string; events: readonly EventDefinition[] },
  ) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', {
      registryName: props.registryName,
      description: 'Leadline events (leadline.inbound, leadline.pipeline) as JSON Schema',
    });
    for (const event of props.events) {
      // The registry's name attribute orders it after the registry.
      new CfnSchema(this, eventTypeName(event.detailType), {
        registryName: this.registry.attrRegistryName,
        schemaName: `${event.source}@${eventTypeName(event.detailType)}`,
        type: 'JSONSchemaDraft4',
        description: `${event.detailType} (${event.source})`,
        content: JSON.stringify(eventJsonSchema(event)),
      });
    }
    new CfnOutput(scope, 'EventSchemaRegistry', {
      description: 'EventBridge schema registry with a JSON Schema per Leadline event',
      value: this.registry.attrRegistryName,
    });
  }
}
