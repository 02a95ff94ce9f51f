import { describeFailure } from '#shared/adapters/openai/describe-failure.ts';
import type { QualificationInput } from '#shared/domain/qualification.ts';
import type { QualificationResult, Qualifier } from '#shared/ports/qualifier.ts';
import { applyKeywordPrecedence } from './keyword-precedence.ts';

/**
 * The part of a logger the fallback needs. Attributes are a rest parameter of records, not an
 * optional `object`, so that Powertools' `Logger` is assignable to it.
 */
export interface WarnLogger {
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
}

/**
 * Qualifies with the deterministic rules alone: used when no OpenAI key is configured, and behind
 * the model. Their lexicons and language database load on the first message that needs them, so
 * a function whose model answers never pays for them at a cold start.
 */
export class RulesQualifier implements Qualifier {
  async qualify(input: QualificationInput): Promise<QualificationResult> {
    const { qualifyByRules } = await import('#shared/domain/rules-qualifier.ts');
    return {
      qualification: await applyKeywordPrecedence(input, qualifyByRules(input)),
      qualifiedBy: 'rules',
    };
  }
}

export interface FallbackQualifierOptions {
  primary: Qualifier;
  logger: WarnLogger;
  /** Defaults to the rules. */
  fallback?: Qualifier;
}

/**
 * Asks the primary qualifier and, when it fails in any way (timeout, API error, refusal,
 * an answer outside the schema), answers with the fallback instead, so a slow or broken model
 * never holds up the reply to a lead. https://platform.openai.com/docs/guides/error-codes
 */
export class FallbackQualifier implements Qualifier {
  readonly #primary: Qualifier;
  readonly #fallback: Qualifier;
  readonly #logger: WarnLogger;

  constructor(options: FallbackQualifierOptions) {
    this.#primary = options.primary;
    this.#fallback = options.fallback ?? new RulesQualifier();
    this.#logger = options.logger;
  }

  async qualify(input: QualificationInput): Promise<QualificationResult> {
    try {
      return await this.#primary.qualify(input);
    } catch (error) {
      this.#logger.warn('Qualifier failed; answering with the rules', { error: describeFailure(error) });
      return this.#fallback.qualify(input);
    }
  }
}
