import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEADS_BY_ACTIVITY } from '#shared/adapters/aws/lead-table.ts';
import { deadLetterQueueName, queueName, subscribers } from '#shared/pipeline.ts';
import { OPERATORS_GROUP } from '../../functions/console-api/caller.ts';
import type { LeadlineConsole } from '../../infra/constructs/console.ts';
import { type Synthesized, synthesize } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };

let synthesized: Synthesized;
let template: Template;
let resources: Record<string, Resource>;
let consoleConstruct: LeadlineConsole;

beforeAll(async () => {
  synthesized = await synthesize();
  template = synthesized.template;
  resources = template.toJSON().Resources as Record<string, Resource>;
  consoleConstruct = synthesized.stack.node.findChild('Console') as LeadlineConsole;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (construct: { node: { defaultChild?: unknown } }) => synthesized.logicalId(construct);
const refersTo = (value: unknown, logicalId: string) => JSON.stringify(value).includes(`"${logicalId}"`);
const queueId = (name: string) =>
  ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === name)![0];

describe('the console in the cloud', () => {
  it('signs in the business’s own users: no self sign-up, MFA required, strong passwords, an operators group', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: OPERATORS_GROUP });
    // A browser app: code flow with PKCE, no secret, back to the console's own address only.
    const [[clientId, client]] = ofType('AWS::Cognito::UserPoolClient') as [[string, Resource]];
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    const distribution = idOf(consoleConstruct.distribution);
    expect(refersTo(client.Properties.CallbackURLs, distribution)).toBe(true);
    expect(clientId).toBeDefined();
  });

  it('answers no console API route without a token from that user pool: the JWT authorizer is on every route', () => {
    const api = idOf(consoleConstruct.api);
    const routes = ofType('AWS::ApiGatewayV2::Route').filter(([, r]) => refersTo(r.Properties.ApiId, api));
    expect(routes.map(([, r]) => r.Properties.RouteKey).sort()).toEqual([
      'GET /api/{proxy+}',
      'POST /api/{proxy+}',
    ]);
    const [[authorizerId, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer').filter(([, a]) =>
      refersTo(a.Properties.ApiId, api),
    ) as [[string, Resource]];
    for (const [, route] of routes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    const userPool = idOf(consoleConstruct.userPool);
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![0];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
    const jwt = authorizer.Properties.JwtConfiguration as { Audience: unknown; Issuer: unknown };
    expect(jwt.Audience).toEqual([{ Ref: client }]);
    expect(refersTo(jwt.Issuer, userPool)).toBe(true);
    // Only the console's own address may call it from a browser.
    const apiProps = resources[api]!.Properties;
    expect(
      refersTo(
        (apiProps.CorsConfiguration as { AllowOrigins: unknown }).AllowOrigins,
        idOf(consoleConstruct.distribution),
      ),
    ).toBe(true);
  });

  it('serves the app from a private bucket through CloudFront (origin access control, HTTPS only, security headers)', () => {
    const bucket = resources[idOf(consoleConstruct.bucket)]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const distribution = resources[idOf(consoleConstruct.distribution)]!.Properties
      .DistributionConfig as Record<string, Record<string, unknown> | unknown[] | string>;
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    expect(
      (distribution.Origins as { OriginAccessControlId?: unknown }[])[0]?.OriginAccessControlId,
    ).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    // The built app and its settings (the API, the user pool, its client) go into the bucket on deploy.
    const [[, deployment]] = ofType('Custom::CDKBucketDeployment') as [[string, Resource]];
    expect(refersTo(deployment.Properties.DestinationBucketName, idOf(consoleConstruct.bucket))).toBe(true);
    expect(deployment.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    for (const referenced of [idOf(consoleConstruct.api), idOf(consoleConstruct.userPool)]) {
      expect(markers).toContain(`"${referenced}"`);
    }
  });

  it('lets the read API read leads (through the lead index) and queues, redrive dead-letter queues, and write nothing else', () => {
    const role = (resources[idOf(consoleConstruct.function)]!.Properties.Role as { 'Fn::GetAtt': [string] })[
      'Fn::GetAtt'
    ][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
    const grantsOn = (action: string) =>
      statements.filter((s) => actions(s).includes(action)).map((s) => JSON.stringify(s.Resource));

    const all = statements.flatMap(actions);
    expect(all.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    const leadsTable = synthesized.logicalId(synthesized.stack.node.findChild('LeadsTable'));
    expect(grantsOn('dynamodb:Query').join()).toContain(`/index/${LEADS_BY_ACTIVITY.indexName}`);
    expect(grantsOn('dynamodb:Query').join()).toContain(`"${leadsTable}"`);
    expect(all).not.toContain('events:PutEvents');
    expect(all.some((a) => a.startsWith('s3:') || a.startsWith('secretsmanager:'))).toBe(false);
    for (const { name } of subscribers) {
      const queue = queueId(queueName(name));
      const deadLetter = queueId(deadLetterQueueName(name));
      expect(
        grantsOn('sqs:StartMessageMoveTask').some((r) => r.includes(`"${deadLetter}"`)),
        name,
      ).toBe(true);
      expect(
        grantsOn('sqs:StartMessageMoveTask').some((r) => r.includes(`"${queue}"`)),
        name,
      ).toBe(false);
      expect(
        grantsOn('sqs:SendMessage').some((r) => r.includes(`"${deadLetter}"`)),
        name,
      ).toBe(false);
    }
  });

  it('gives the leads table the index the lead list reads, keyed as the lead store and the local stand-in key it', () => {
    const table =
      resources[synthesized.logicalId(synthesized.stack.node.findChild('LeadsTable'))]!.Properties;
    expect(table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: LEADS_BY_ACTIVITY.indexName,
        KeySchema: [
          { AttributeName: LEADS_BY_ACTIVITY.partitionKey, KeyType: 'HASH' },
          { AttributeName: LEADS_BY_ACTIVITY.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('outputs where to open the console and where its users are', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(refersTo(outputs.ConsoleUrl?.Value, idOf(consoleConstruct.distribution))).toBe(true);
    expect(outputs.ConsoleUserPoolId?.Value).toEqual({ Ref: idOf(consoleConstruct.userPool) });
  });
});
