/**
 * `npm run consent -- <phone or email> [--csv] [--url http://localhost:3000] [--table <leads table>]`
 *
 * Prints a contact's consent report: its opt-out state, and one timeline of every opt-in,
 * opt-out, help request, bounce and held-back send (the consent ledger) and every message in and
 * out, each text out with what it answered and what consent stood when it went: "why did this
 * person get this text", in one command. JSON by default; `--csv` for a spreadsheet.
 * - Locally (the default): asks the running `npm start` (`GET /local/consent/<contact>`).
 * - In AWS (`--table`, or LEADS_TABLE_NAME set): reads the leads table directly with the AWS
 *   SDK's usual credentials and region.
 */
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { buildConsentReport, timelineToCsv } from '#shared/compliance/consent-report.ts';
import { normaliseContact } from '#shared/domain/contact.ts';

const USAGE =
  'Usage: npm run consent -- <phone or email> [--csv] [--url http://localhost:3000] [--table <leads table>]';

export interface ConsentArguments {
  contact: string;
  csv: boolean;
  /** Read the table in AWS; else ask the local runtime at `url`. */
  table?: string;
  url: string;
}

/** Reads the command line; throws with the usage for anything it cannot use. */
export function parseConsentArguments(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ConsentArguments {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [key = '', inline] = arg.slice(2).split(/=(.*)/s);
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(key, inline);
    else if ((key === 'url' || key === 'table') && next !== undefined) {
      flags.set(key, next);
      i++;
    } else flags.set(key, true);
  }
  const unknown = [...flags.keys()].filter((key) => !['csv', 'url', 'table'].includes(key));
  if (unknown.length > 0) throw new Error(`Unknown option --${unknown.join(', --')}\n${USAGE}`);
  const contact = positional[0] ? normaliseContact(positional[0]) : null;
  if (!contact) throw new Error(`Expected a phone number or an email address\n${USAGE}`);
  const table = flags.get('table') ?? env.LEADS_TABLE_NAME;
  const url = flags.get('url');
  const parsedUrl = z
    .url()
    .safeParse(typeof url === 'string' ? url : (env.LOCAL_URL ?? `http://localhost:${env.PORT ?? 3000}`));
  if (!parsedUrl.success) throw new Error(`--url is not a URL\n${USAGE}`);
  return {
    contact: contact.value,
    csv: flags.has('csv'),
    ...(typeof table === 'string' && { table }),
    url: parsedUrl.data,
  };
}

/** The report as the command prints it, from the local runtime or from the table. */
export async function consentReportText(args: ConsentArguments): Promise<string> {
  if (args.table) {
    const report = await buildConsentReport(new DynamoLeadStore(documentClient(), args.table), args.contact);
    return args.csv ? timelineToCsv(report.timeline) : `${JSON.stringify(report, null, 2)}\n`;
  }
  const endpoint = `${args.url.replace(/\/$/, '')}/local/consent/${encodeURIComponent(args.contact)}${args.csv ? '.csv' : ''}`;
  let response: Response;
  try {
    response = await fetch(endpoint);
  } catch (error) {
    throw new Error(
      `The local runtime does not answer at ${args.url} (is npm start running?): ${(error as Error).message}`,
    );
  }
  if (!response.ok)
    throw new Error(`The local runtime answered ${response.status}: ${await response.text()}`);
  return response.text();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  consentReportText(parseConsentArguments(process.argv.slice(2)))
    .then((text) => process.stdout.write(text))
    .catch((error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    });
}
