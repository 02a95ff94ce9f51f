import type { WeightedCandidate } from '#shared/domain/routing/rotation.ts';

/** An alert a rep was sent about a lead, kept so the rep's text back can be matched to it. */
export interface RepAlertRecord {
  repId: string;
  leadId: string;
  /** `alertReference(leadId)`: what the rep may write after the command to name the lead. */
  reference: string;
  /** Why the rep was alerted (`Rep Notified`'s reasons). */
  reason: string;
  /** When the alert was sent (ISO 8601, UTC). */
  at: string;
}

/**
 * The desk reps work from: who is next in the weighted round-robin, and the alerts each rep was
 * sent, so a text from a rep ("OK", "TAKE 4F2A") finds the lead it answers.
 */
export interface RepRouting {
  /**
   * The next rep of the pool `candidates` (smooth weighted round-robin, `rotation.ts`), decided
   * once per `key`: a retry with the same key gets the same rep and moves nobody's turn.
   */
  pickRep(key: string, candidates: readonly WeightedCandidate[]): Promise<string>;
  /** Keeps an alert sent to a rep (the same alert twice is kept once). */
  recordAlert(alert: RepAlertRecord): Promise<void>;
  /** The rep's latest alerts, newest first, at most `limit`. */
  recentAlerts(repId: string, limit: number): Promise<RepAlertRecord[]>;
}
