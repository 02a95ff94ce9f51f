import { documentClient } from '#shared/adapters/aws/clients.ts';
import { readHubSpotSettings } from '#shared/adapters/hubspot/settings.ts';
import { lazyCrm } from '#shared/adapters/lazy-crm.ts';
import { readSalesforceSettings } from '#shared/adapters/salesforce/settings.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { chooseProvider } from '#shared/config/providers.ts';
import type { Crm } from '#shared/ports/outbound.ts';
import { once, storageSettings } from './core.ts';
import { adapterNotBuilt, sandboxOutbox } from './pipeline.ts';

export const crm = once((): Crm => {
  const provider = chooseProvider('CRM_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    case 'salesforce': {
      const settings = readSalesforceSettings();
      return lazyCrm('salesforce', async () => {
        const { SalesforceCrm } = await import('#shared/adapters/salesforce/salesforce-crm.ts');
        return new SalesforceCrm(settings);
      });
    }
    case 'hubspot': {
      const settings = readHubSpotSettings();
      return lazyCrm('hubspot', async () => {
        const { HubSpotCrm } = await import('#shared/adapters/hubspot/hubspot-crm.ts');
        return new HubSpotCrm(settings);
      });
    }
    default:
      return adapterNotBuilt('CRM_PROVIDER', provider);
  }
});
