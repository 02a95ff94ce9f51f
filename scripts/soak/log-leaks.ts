/** Something that must never appear in a log in clear: a contact or a secret. */
export interface Needle {
  /** What the finding says instead of the value itself, e.g. `Twilio auth token`. */
  label: string;
  value: string;
}

/**
 * What may not appear in clear for one contact: an E.164 number also in its bare national
 * form (+15125550123 → 5125550123), an email address in any case.
 */
export const contactNeedles = (address: string): Needle[] => {
  if (address.includes('@'))
    return [{ label: `email ${maskForReport(address)}`, value: address.toLowerCase() }];
  const national = address.replace(/^\+1/, '');
  return [
    { label: `phone ${maskForReport(address)}`, value: address },
    { label: `phone ${maskForReport(address)} (national)`, value: national },
  ];
};

/** How the soak's own report names a contact: enough to find it in the plan, not the whole of it. */
export const maskForReport = (address: string): string => {
  const at = address.indexOf('@');
  if (at > 0) return `${address.charAt(0)}***${address.slice(at)}`;
  return `${address.slice(0, 5)}***${address.slice(-4)}`;
};

/**
 * `npm start` prints, once per start, where to point the providers: the Inbound Parse URL with
 * its basic-auth pair, for the admin to paste into SendGrid. Those lines are instructions on the
 * terminal, not the functions' logs, so the scan skips them.
 */
const isBannerStart = (line: string) => line.startsWith('Leadline is running locally on');
const isBannerEnd = (line: string) => line.startsWith('Health:');

/** A test on one line (and its lower-cased copy) for one value. */
const matcher = (value: string): ((line: string, lower: string) => boolean) => {
  if (/^\d+$/.test(value)) {
    const bare = new RegExp(`(?<!\\d)${value}(?!\\d)`);
    return (line) => bare.test(line);
  }
  if (value.includes('@')) {
    const lowerValue = value.toLowerCase();
    return (_line, lower) => lower.includes(lowerValue);
  }
  return (line) => line.includes(value);
};

/**
 * The log lines (1-based numbers) that hold a needle in clear, the start banner apart. Email
 * addresses are matched in any case; a national number only where no other digit touches it.
 */
export const findLogLeaks = (
  log: string,
  needles: readonly Needle[],
): Array<{ line: number; label: string }> => {
  const found: Array<{ line: number; label: string }> = [];
  const tests = needles.map((needle) => ({ label: needle.label, test: matcher(needle.value) }));
  let inBanner = false;
  log.split('\n').forEach((line, i) => {
    if (isBannerStart(line)) inBanner = true;
    if (!inBanner) {
      const lower = line.toLowerCase();
      for (const { label, test } of tests) if (test(line, lower)) found.push({ line: i + 1, label });
    }
    if (inBanner && isBannerEnd(line)) inBanner = false;
  });
  return found;
};
