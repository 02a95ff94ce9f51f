import { documentClient } from '#shared/adapters/aws/clients.ts';
import { readHubSpotSettings } from '#shared/adapters/hubspot/settings.ts';
import { lazyCrm } from '#shared/adapters/lazy-crm.ts';
import { readSalesforceSettings } from '#shared/adapters/salesforce/settings.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { chooseProvider } from '#shared/config/providers.ts';
import type { Crm } from '#shared/ports/outbound.ts';
import { once, storageSettings } from './core.ts';
import { adapterNotBuilt, sandboxOutbox } from './pipeline.ts';

const salesforceCrm = (): Crm => {
  const settings = readSalesforceSettings();
  return lazyCrm('salesforce', async () => {
    const { SalesforceCrm } = await import('#shared/adapters/salesforce/salesforce-crm.ts');
    return new SalesforceCrm(settings);
  });
};

const hubSpotCrm = (): Crm => {
  const settings = readHubSpotSettings();
  return lazyCrm('hubspot', async () => {
    const { HubSpotCrm } = await import('#shared/adapters/hubspot/hubspot-crm.ts');
    return new HubSpotCrm(settings);
  });
};

const notBundled = (provider: string): never => {
  throw new ConfigurationError(
    `Invalid configuration: CRM_PROVIDER=${provider}, but this deployment bundled only the ${process.env.LEADLINE_BUNDLED_CRM} CRM (leadline:crm); set leadline:crm to ${provider} (or auto) and redeploy`,
  );
};

/**
 * The CRM adapter. A deployment whose `leadline:crm` names one CRM bundles only that one: the
 * stack's esbuild replaces `process.env.LEADLINE_BUNDLED_CRM` with it, these comparisons fold to
 * constants, and the other SDK (jsforce, the HubSpot client: megabytes) is left out. Unset (the
 * local runtime, `leadline:crm=auto`), every CRM is bundled and chosen at run time.
 */
export const crm = once((): Crm => {
  const provider = chooseProvider('CRM_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    case 'salesforce':
      return process.env.LEADLINE_BUNDLED_CRM === 'hubspot' || process.env.LEADLINE_BUNDLED_CRM === 'sandbox'
        ? notBundled(provider)
        : salesforceCrm();
    case 'hubspot':
      return process.env.LEADLINE_BUNDLED_CRM === 'salesforce' ||
        process.env.LEADLINE_BUNDLED_CRM === 'sandbox'
        ? notBundled(provider)
        : hubSpotCrm();
    default:
      return adapterNotBuilt('CRM_PROVIDER', provider);
  }
});
