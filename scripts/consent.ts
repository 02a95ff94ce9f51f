/**
 * `npm run consent -- <phone or email> [--csv] [--url http://localhost:3000] [--table <leads table>]`
 * (`--help` says more).
 *
 * Prints a contact's consent report: its opt-out state, and one timeline of every opt-in,
 * opt-out, help request, bounce and held-back send (the consent ledger) and every message in and
 * out, each text out with what it answered and what consent stood when it went: "why did this
 * person get this text", in one command. JSON by default; `--csv` for a spreadsheet.
 * - Locally (the default): asks the running `npm start` (`GET /local/consent/<contact>`), found
 *   as the other scripts find it (`localRuntimeUrl`), or at `--url` / LOCAL_URL.
 * - In AWS (`--table`, or LEADS_TABLE_NAME set): reads the leads table directly with the AWS
 *   SDK's usual credentials and region.
 */
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { buildConsentReport, timelineToCsv } from '#shared/compliance/consent-report.ts';
import { normaliseContact } from '#shared/domain/contact.ts';
import { localRuntimeUrl, readArguments, UsageError, withUsage } from './lib/cli.ts';
import { loadDotEnv } from './lib/load-dotenv.ts';

export const CONSENT_CLI = {
  command: 'npm run consent --',
  usage: `<phone or email> [--csv] [--url http://localhost:3000] [--table <leads table>]
Prints a contact's consent report: its opt-out state and one timeline of its consent ledger
(opt-ins, opt-outs, help requests, bounces, held-back sends) and every message in and out.
  <phone or email>  the contact, e.g. +15125550123 or ana@example.com
  --csv             the timeline as CSV instead of the report as JSON
  (local)           asks the running npm start (found through LEADLINE_DATA_DIR, else
                    http://localhost:$PORT); --url or LOCAL_URL for another address
  --table <name>    reads this leads table in AWS instead (or LEADS_TABLE_NAME), with the AWS
                    SDK's usual credentials and region (AWS_PROFILE, AWS_REGION)`,
  options: {
    csv: { type: 'boolean', default: false },
    url: { type: 'string' },
    table: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: ['phone or email'],
} as const;

export interface ConsentArguments {
  contact: string;
  csv: boolean;
  /** Read the table in AWS; else ask the local runtime. */
  table?: string;
  /** The local runtime's address; the running one's (`localRuntimeUrl`) when not given. */
  url?: string;
}

/**
 * The command line's arguments; `{ help: true }` for `--help`. Throws `UsageError` naming the
 * mistake.
 */
export const readConsentArguments = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ({ help: false } & ConsentArguments) | { help: true } => {
  const { values, positionals } = readArguments(CONSENT_CLI, argv, env);
  if (values.help) return { help: true };
  const contact = normaliseContact(positionals[0] ?? '');
  if (!contact) {
    throw new UsageError(`"${positionals[0]}" is neither a phone number nor an email address`);
  }
  const table = values.table ?? (env.LEADS_TABLE_NAME || undefined);
  const url = values.url ?? (env.LOCAL_URL || undefined);
  if (url !== undefined && !z.url().safeParse(url).success) {
    throw new UsageError(`${values.url !== undefined ? '--url' : 'LOCAL_URL'} is not a URL: "${url}"`);
  }
  return {
    help: false,
    contact: contact.value,
    csv: values.csv,
    ...(table !== undefined && { table }),
    ...(url !== undefined && { url }),
  };
};

/** Reads the command line (without `--help`); throws `UsageError` for anything it cannot use. */
export function parseConsentArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ConsentArguments {
  const args = readConsentArguments(argv, env);
  if (args.help) throw new UsageError('--help asks for the usage, not a report');
  return args;
}

/** The report as the command prints it, from the local runtime or from the table. */
export async function consentReportText(args: ConsentArguments): Promise<string> {
  if (args.table) {
    const report = await buildConsentReport(new DynamoLeadStore(documentClient(), args.table), args.contact);
    return args.csv ? timelineToCsv(report.timeline) : `${JSON.stringify(report, null, 2)}\n`;
  }
  const url = args.url ?? (await localRuntimeUrl());
  const endpoint = `${url.replace(/\/$/, '')}/local/consent/${encodeURIComponent(args.contact)}${args.csv ? '.csv' : ''}`;
  let response: Response;
  try {
    response = await fetch(endpoint);
  } catch (error) {
    // As `call` (scripts/lib/cli.ts) says it, but without its `GET …` line: stdout is the report.
    const cause = (error as { cause?: { code?: string } }).cause;
    const origin = new URL(endpoint).origin;
    throw new Error(
      cause?.code === 'ECONNREFUSED'
        ? `nothing answers at ${origin} (connection refused). Is \`npm start\` running, and on that port? It listens on PORT (default 3000); pass --url to call another address, or --table to read the table in AWS.`
        : `could not reach ${origin}: ${cause?.code ?? (error as Error).message}`,
    );
  }
  if (!response.ok)
    throw new Error(`The local runtime answered ${response.status}: ${await response.text()}`);
  return response.text();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // PORT and LEADLINE_DATA_DIR, as `npm start` reads them.
  loadDotEnv();
  const args = withUsage(CONSENT_CLI, () => readConsentArguments(process.argv.slice(2)));
  if (!args.help) {
    consentReportText(args)
      .then((text) => process.stdout.write(text))
      .catch((error: unknown) => {
        console.error((error as Error).message);
        process.exit(1);
      });
  }
}
