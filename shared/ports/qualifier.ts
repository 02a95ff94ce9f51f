import type { Qualification, QualificationInput } from '#shared/domain/qualification.ts';

export type QualifiedBy = 'openai' | 'rules';

export interface QualificationResult {
  qualification: Qualification;
  qualifiedBy: QualifiedBy;
}

/** Reads one inbound message and says what it is. */
export interface Qualifier {
  qualify(input: QualificationInput): Promise<QualificationResult>;
}
