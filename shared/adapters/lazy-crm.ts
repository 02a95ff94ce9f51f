import type { Crm, CrmLeadRecord } from '#shared/ports/outbound.ts';

/**
 * A CRM whose adapter module is loaded on the first upsert. Every pipeline function imports the
 * wiring, but only crm-sync writes to the CRM: the others should not pay for loading a CRM SDK at
 * a cold start (jsforce alone takes about 100 ms).
 */
export const lazyCrm = (provider: string, load: () => Promise<Crm>): Crm => {
  let loading: Promise<Crm> | undefined;
  return {
    provider,
    upsertLead: async (record: CrmLeadRecord) => {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).upsertLead(record);
    },
  };
};
