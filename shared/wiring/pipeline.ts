import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { readOpenAiSettings } from '#shared/config/providers.ts';
import { readBusinessProfile, readIdentitySettings } from '#shared/config/settings.ts';
import { once, storageSettings } from './core.ts';

/**
 * The pipeline functions' common dependencies: the lead store, the business, the OpenAI settings. Each port's adapters are chosen in a module of their own (`messaging.ts`, `chat.ts`,
 * `crm.ts`, `calendar.ts`), so a function bundles only the provider SDKs it can use.
 */
export const openAiSettings = once(readOpenAiSettings);
export const identitySettings = once(readIdentitySettings);
export const businessProfile = once(() => readBusinessProfile());

export const leadStore = once(
  () => new DynamoLeadStore(documentClient(), storageSettings().LEADS_TABLE_NAME),
);
export const sandboxOutbox = once(
  () => new SandboxOutbox(documentClient(), storageSettings().LEADS_TABLE_NAME),
);

export const adapterNotBuilt = (port: string, provider: string): never => {
  throw new ConfigurationError(`${port}=${provider}: this adapter is not part of this build`);
};
