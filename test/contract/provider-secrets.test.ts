import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '#shared/config/env.ts';
import { SECRET_ARNS_VARIABLE } from '#shared/config/secrets.ts';
import { loadProviderSecrets } from '#shared/lambda/provider-secrets.ts';
import { HttpFake } from '../fakes/http-fake.ts';

const twilioArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:leadline/twilio-AbCdEf';
const hubspotArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:leadline/hubspot-GhIjKl';

/** Secrets Manager's JSON protocol: POST / with X-Amz-Target: secretsmanager.GetSecretValue. */
const secretsManager =
  (values: Record<string, string>) => (request: { headers: Record<string, unknown>; body: unknown }) => {
    const target = request.headers['x-amz-target'];
    const secretId = (request.body as { SecretId?: string }).SecretId ?? '';
    const value = values[secretId];
    if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: { __type: 'ResourceNotFoundException', message: `no secret ${secretId}` },
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: {
        ARN: secretId,
        Name: secretId,
        SecretString: value,
        VersionId: 'v1',
        CreatedDate: 1_700_000_000,
      },
    };
  };

describe('loadProviderSecrets with the real Secrets Manager client (Powertools parameters)', () => {
  let fake: HttpFake;
  const saved = { ...process.env };

  beforeAll(async () => {
    fake = await HttpFake.start();
    fake.route(
      'POST',
      '/',
      secretsManager({
        [twilioArn]: JSON.stringify({ TWILIO_ACCOUNT_SID: 'AC0001', TWILIO_AUTH_TOKEN: 'tok' }),
        [hubspotArn]: JSON.stringify({ HUBSPOT_ACCESS_TOKEN: '' }),
      }),
    );
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: fake.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    process.env = saved;
    await fake.close();
  });

  it('copies each secret’s settings into the environment, leaving empty values unset', async () => {
    const env: NodeJS.ProcessEnv = { [SECRET_ARNS_VARIABLE]: `${twilioArn}, ${hubspotArn}` };
    await loadProviderSecrets(env);
    expect(env.TWILIO_ACCOUNT_SID).toBe('AC0001');
    expect(env.TWILIO_AUTH_TOKEN).toBe('tok');
    expect(env.HUBSPOT_ACCESS_TOKEN).toBeUndefined();
    const targets = fake.requests.map((r) => [
      r.headers['x-amz-target'],
      (r.body as { SecretId: string }).SecretId,
    ]);
    expect(targets).toEqual(
      expect.arrayContaining([
        ['secretsmanager.GetSecretValue', twilioArn],
        ['secretsmanager.GetSecretValue', hubspotArn],
      ]),
    );
  });

  it('serves a warm invocation from the cache, without calling Secrets Manager', async () => {
    const env: NodeJS.ProcessEnv = { [SECRET_ARNS_VARIABLE]: twilioArn };
    await loadProviderSecrets(env);
    expect(fake.requests).toHaveLength(0);
    expect(env.TWILIO_AUTH_TOKEN).toBe('tok');
  });

  it('does nothing without secret ARNs (the local runtime)', async () => {
    const env: NodeJS.ProcessEnv = {};
    await loadProviderSecrets(env);
    expect(env).toEqual({});
    expect(fake.requests).toHaveLength(0);
  });
});

describe('loadProviderSecrets with a bad secret', () => {
  it('names the secret when it is not JSON', async () => {
    const env: NodeJS.ProcessEnv = { [SECRET_ARNS_VARIABLE]: 'arn:one' };
    await expect(loadProviderSecrets(env, async () => 'a random password')).rejects.toThrow(
      /Secret arn:one is not a JSON object/,
    );
  });

  it('refuses a secret whose values are not strings', async () => {
    const env: NodeJS.ProcessEnv = { [SECRET_ARNS_VARIABLE]: 'arn:two' };
    const load = loadProviderSecrets(env, async () => JSON.stringify({ TWILIO_AUTH_TOKEN: 42 }));
    await expect(load).rejects.toBeInstanceOf(ConfigurationError);
  });
});
