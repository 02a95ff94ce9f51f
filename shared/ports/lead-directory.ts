import type { Lead, LeadMessage } from './lead-store.ts';

/** The leads as a list: for the console, which pages, filters and searches them. */
export interface LeadDirectory {
  /**
   * Leads by latest activity, newest first, that `matches` accepts, at most `limit`; `cursor` (from
   * the previous page) continues after its last lead. `activeSince` (ISO 8601) leaves out leads
   * untouched since. Throws `InvalidCursorError` for a cursor it did not make.
   */
  page(query: {
    limit: number;
    cursor?: string;
    activeSince?: string;
    matches?: (lead: Lead) => boolean;
  }): Promise<{ leads: Lead[]; nextCursor?: string }>;
  /** The lead's latest message in or out, if any. */
  lastMessage(leadId: string): Promise<LeadMessage | undefined>;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}
