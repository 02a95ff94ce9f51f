import type { ParseArgsOptionsConfig } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CliSpec, readArguments, UsageError } from '../../../scripts/lib/cli.ts';

const sms = {
  command: 'npm run sms --',
  usage: '--body "text" [--from +1...]',
  options: {
    from: { type: 'string', default: '+15125550123' },
    body: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  required: ['body'],
} as const satisfies CliSpec<ParseArgsOptionsConfig>;

const mistake = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    readArguments(sms, argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return undefined;
};

describe('readArguments (every npm run script)', () => {
  it('reads the options given', () => {
    expect(readArguments(sms, ['--body', 'Leaking pipe', '--from', '+15125550199'], {}).values).toMatchObject(
      {
        body: 'Leaking pipe',
        from: '+15125550199',
      },
    );
  });

  it('names an unknown option and the one meant', () => {
    expect(mistake(['--frm', '+15125550123', '--body', 'hi'])).toBe(
      'unknown option --frm (did you mean --from?)',
    );
    expect(mistake(['--colour', 'red', '--body', 'hi'])).toBe('unknown option --colour');
  });

  it('says so when npm took an option because -- was left out', () => {
    // `npm run sms --body "hi"`: npm keeps --body as its own setting and passes "hi" on.
    expect(mistake(['hi'], { npm_config_body: 'true' })).toMatch(
      /npm read --body as its own option: put -- between the script and its options/,
    );
  });

  it('refuses a missing, empty or valueless required option, and a stray argument', () => {
    expect(mistake([])).toBe('--body is required');
    expect(mistake(['--body', ''])).toBe('--body is empty');
    expect(mistake(['--body', '   '])).toBe('--body is empty');
    expect(mistake(['--body'])).toMatch(/--body/);
    expect(mistake(['--body', 'hi', 'there'])).toBe('unexpected argument "there"');
  });

  it('lets --help through whatever else is wrong', () => {
    expect(readArguments(sms, ['--help'], {}).values.help).toBe(true);
    expect(readArguments(sms, ['-h'], { npm_config_body: 'true' }).values.help).toBe(true);
  });
});
