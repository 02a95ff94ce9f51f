/**
 * The small pattern language the consent data files are written in, so that a new phrasing or
 * a new language is one line of data, not code. Patterns match normalised text (see
 * `normaliseForMatching`): lower-case words without accents, separated by single spaces.
 *
 * | item           | matches                                                                 |
 * | -------------- | ----------------------------------------------------------------------- |
 * | `stop`         | the word "stop"                                                         |
 * | `text*`        | a word that starts with "text" (text, texts, texting, texted)           |
 * | `(a\|b c\|d*)` | one of the alternatives; an alternative may be several words            |
 * | `[a\|b]`       | optionally one of the alternatives                                      |
 * | `~`            | up to three other words                                                 |
 * | `!(a\|b c)`    | the next words are not one of these (nothing is consumed)               |
 * | `^` / `$`      | the start / end of the clause                                           |
 *
 * Example: `stop (text*|messag*) [me|us|this number]` matches "stop texting me" and
 * "stop messaging this number", not "stop by tomorrow".
 */

const WORD = /^[a-z0-9]+\*?$/;

/** Thrown when a data file holds a pattern this language cannot read: a data error, found at load. */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

const TOKEN = /!\(|[()[\]|~^$]|[^\s()[\]|~^$]+/g;

/** A recursive-descent reader of one pattern into a regex source; groups may nest. */
class PatternReader {
  private readonly tokens: string[];
  private at = 0;

  constructor(private readonly pattern: string) {
    this.tokens = pattern.match(TOKEN) ?? [];
  }

  read(): string {
    const source = this.sequence();
    if (this.at < this.tokens.length) this.fail(`unexpected "${this.tokens[this.at]}"`);
    if (source === '') this.fail('empty pattern');
    return source;
  }

  private fail(problem: string): never {
    throw new PatternSyntaxError(`${problem} in pattern "${this.pattern}"`);
  }

  /** Items up to a closing bracket or a "|" (not consumed). */
  private sequence(): string {
    let source = '';
    for (let token = this.tokens[this.at]; token !== undefined; token = this.tokens[this.at]) {
      if (token === ')' || token === ']' || token === '|') break;
      this.at++;
      if (token === '^') {
        if (this.at !== 1) this.fail('"^" must open the pattern');
        source += '^';
      } else if (token === '$') {
        if (this.at !== this.tokens.length) this.fail('"$" must close the pattern');
        source += '$';
      } else if (token === '~') source += '(?:[a-z0-9]+ ){0,3}';
      else if (token === '(') source += `(?:${this.alternatives(')')})`;
      else if (token === '[') source += `(?:${this.alternatives(']')})?`;
      else if (token === '!(') source += `(?!${this.alternatives(')')})`;
      else if (WORD.test(token))
        source += `${token.endsWith('*') ? `${token.slice(0, -1)}[a-z0-9]*` : token} `;
      else this.fail(`"${token}" is not a word`);
    }
    return source;
  }

  private alternatives(close: ')' | ']'): string {
    const options = [this.sequence()];
    while (this.tokens[this.at] === '|') {
      this.at++;
      options.push(this.sequence());
    }
    if (this.tokens[this.at] !== close) this.fail(`missing "${close}"`);
    this.at++;
    if (options.some((option) => option === '')) this.fail('empty alternative');
    return options.join('|');
  }
}

/**
 * Compiles a pattern to a regex over a clause written as " word word ... word " (one space
 * before each word and after the last). Throws `PatternSyntaxError` for a malformed pattern.
 */
export function compilePhrasePattern(pattern: string): RegExp {
  const source = new PatternReader(pattern.trim()).read();
  // Every word consumes its trailing space, so a match starts right after a space.
  return new RegExp(source.startsWith('^') ? `^ ${source.slice(1)}` : ` ${source}`);
}

/** A clause as `compilePhrasePattern` regexes expect it: " w1 w2 ... wn ". */
export const asClause = (words: readonly string[]): string =>
  words.length === 0 ? ' ' : ` ${words.join(' ')} `;
