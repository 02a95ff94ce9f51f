import type { BusinessProfile, Service } from '#shared/config/business-profile.ts';
import type { Qualification } from '#shared/domain/qualification.ts';
import { serviceAreaMatch } from '#shared/domain/scoring.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import { toSmsText } from '#shared/domain/sms-text.ts';
import { parseHhMm, type Weekday } from '#shared/domain/time.ts';

export type ReplyKind =
  | 'first-reply'
  | 'follow-up-reply'
  | 'slots-offered'
  | 'slot-taken'
  | 'meeting-booked'
  | 'opt-out-confirmation'
  | 'opt-in-confirmation'
  | 'help';

export type MissingDetail = 'name' | 'need' | 'location' | 'timing' | 'email';

export interface ReplyContext {
  kind: ReplyKind;
  channel: 'sms' | 'email';
  profile: BusinessProfile;
  lead: { name?: string | undefined };
  qualification?: Qualification | undefined;
  /** What we still do not know: from missingDetails(). */
  missing: ReadonlyArray<MissingDetail>;
  slots?: ReadonlyArray<{ start: Date; end: Date }>;
  /** The business books through a scheduling page: the lead gets this link instead of slots. */
  bookingUrl?: string | undefined;
  meeting?: { start: Date; end: Date };
  inboundSubject?: string | undefined;
  /** Zone the times are written in: the business's, which the offered slots are in. */
  timeZone: string;
}

export interface ComposedReply {
  text: string;
  subject?: string;
  html?: string;
}

/** Two SMS segments: a first reply should fit, so it arrives as one readable message. */
export const FIRST_SMS_MAX_CHARS = 320;
/** Appended to the first text a lead gets (CTIA: say how to opt out). */
export const SMS_OPT_OUT_FOOTER = 'Reply STOP to opt out.';
const MAX_QUESTIONS = 2;

/**
 * What to ask the lead next, most important first, at most two so a reply stays one short
 * question. Email is asked only once a meeting is wanted (for the invite); on the email channel
 * the caller passes the sender's address as known, so it is never asked there.
 */
export function missingDetails(
  q: Qualification,
  known: {
    name?: string | undefined;
    email?: string | undefined;
    location?: string | undefined;
    need?: string | undefined;
  },
): MissingDetail[] {
  const wantsMeeting = q.wantsMeeting || q.slotChoice !== null;
  const missing: MissingDetail[] = [];
  if (!q.need && !q.service && !known.need) missing.push('need');
  if (!q.location && !known.location) missing.push('location');
  if (q.timing === 'unknown' && !wantsMeeting) missing.push('timing');
  if (!q.name && !known.name) missing.push('name');
  if (wantsMeeting && !q.email && !known.email) missing.push('email');
  return missing.slice(0, MAX_QUESTIONS);
}

// --- wording --------------------------------------------------------------------------------

const QUESTIONS: Readonly<Record<MissingDetail, { alone: string; joined: string }>> = {
  need: { alone: 'What can we help you with?', joined: 'what you need help with' },
  location: { alone: 'What town or ZIP code are you in?', joined: "the town or ZIP code you're in" },
  timing: { alone: 'When do you need this done?', joined: 'when you need it done' },
  name: { alone: 'May we have your name?', joined: 'your name' },
  email: { alone: "What's your email for the confirmation?", joined: 'your email for the confirmation' },
};

function questionsSentence(
  missing: ReadonlyArray<MissingDetail>,
  channel: 'sms' | 'email',
  /** A scheduling page asks for the email itself. */
  bookingPage = false,
): string | null {
  const asked = missing
    .filter((detail) => !(detail === 'email' && (channel === 'email' || bookingPage)))
    .slice(0, MAX_QUESTIONS);
  const [first, second] = asked;
  if (!first) return null;
  if (!second) return QUESTIONS[first].alone;
  return `Could you tell us ${QUESTIONS[first].joined} and ${QUESTIONS[second].joined}?`;
}

function firstNameOf(ctx: ReplyContext): string | null {
  const raw = ctx.lead.name ?? ctx.qualification?.name ?? '';
  const first = raw.trim().split(/\s+/)[0] ?? '';
  const clean = first.replace(/[^\p{L}'-]/gu, '').slice(0, 24);
  return clean.length > 0 ? clean.charAt(0).toUpperCase() + clean.slice(1) : null;
}

const PRICE_QUESTION =
  /\b(?:price|prices|pricing|cost|costs|how much|rates?|charge|fees?|quote|estimate|ballpark)\b/i;

function askedAboutPrice(q: Qualification | undefined): boolean {
  if (!q) return false;
  return [q.summary, q.need].some((text) => text !== null && PRICE_QUESTION.test(text));
}

function matchedService(ctx: ReplyContext): Service | undefined {
  const name = ctx.qualification?.service?.trim().toLowerCase();
  return name ? ctx.profile.services.find((service) => service.name.toLowerCase() === name) : undefined;
}

function serviceSentence(ctx: ReplyContext): string | null {
  const service = matchedService(ctx);
  const priceAsked = askedAboutPrice(ctx.qualification);
  if (service) {
    const what = `We can help with that: ${service.name.toLowerCase()}`;
    if (!priceAsked) return `${what}.`;
    return service.priceHint ? `${what}, ${service.priceHint}.` : `${what}. We'll give you a clear quote.`;
  }
  return priceAsked ? "Pricing depends on the job; we'll give you a clear quote." : null;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 3).trimEnd()}...`;
}

function outsideAreaSentence(ctx: ReplyContext): Block | null {
  const location = ctx.qualification?.location;
  if (serviceAreaMatch(location, ctx.profile.serviceArea.places) !== 'outside' || !location) return null;
  const served = `We mainly serve ${ctx.profile.serviceArea.description}`;
  return {
    kind: 'sentence',
    text: `${served}, so we'll check whether we can get to ${clip(location, 40)}.`,
    short: `${served}.`,
    priority: 1,
  };
}

function urgentSentence(ctx: ReplyContext): string | null {
  return ctx.qualification?.timing === 'urgent'
    ? "We know it's urgent and will be in touch right away."
    : null;
}

function replyChoices(count: number): string {
  if (count <= 1) return 'Reply 1 to book it.';
  const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
  return `Reply ${numbers.slice(0, -1).join(', ')} or ${numbers.at(-1)} to book.`;
}

const DAY_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function clockText(hhmm: string): string {
  const minutes = parseHhMm(hhmm);
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${hour12}${minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** 'Mon-Sat 8am-6pm CT': opening hours in a few characters. */
export function describeHours(hours: BusinessProfile['hours'], timeZone: string): string {
  const open = DAY_ORDER.map((day) => hours.days.includes(day));
  const runs: string[] = [];
  for (let i = 0; i < DAY_ORDER.length; i++) {
    if (!open[i] || (i > 0 && open[i - 1])) continue;
    let j = i;
    while (j + 1 < DAY_ORDER.length && open[j + 1]) j++;
    const name = (day: Weekday) => day.charAt(0).toUpperCase() + day.slice(1);
    const from = DAY_ORDER[i] as Weekday;
    const to = DAY_ORDER[j] as Weekday;
    runs.push(i === j ? name(from) : `${name(from)}-${name(to)}`);
  }
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortGeneric' })
      .formatToParts(new Date(0))
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  return `${runs.join(', ')} ${clockText(hours.open)}-${clockText(hours.close)}${zone ? ` ${zone}` : ''}`;
}

// --- composition ----------------------------------------------------------------------------

/** A reply as blocks, rendered once for SMS, plain-text email and HTML email. */
type Block =
  | { kind: 'greeting'; name: string | null }
  | { kind: 'sentence'; text: string; short?: string | undefined; priority: number }
  | { kind: 'slots'; intro: string; shortIntro: string; items: string[]; outro: string; priority: number }
  /** A booking link is the point of the message: it is never shortened or dropped. */
  | { kind: 'link'; intro: string; url: string }
  | { kind: 'footer'; text: string };

/** The offer: the slots to pick from, or the booking link (`linkIntro`) when the business uses one. */
function slotsBlock(ctx: ReplyContext, intro: string, priority: number, linkIntro: string): Block | null {
  if (ctx.bookingUrl) return { kind: 'link', intro: linkIntro, url: ctx.bookingUrl };
  const slots = ctx.slots ?? [];
  if (slots.length === 0) return null;
  return {
    kind: 'slots',
    intro,
    shortIntro: `Times for a ${ctx.profile.meeting.kind}:`,
    items: slots.map((slot) => formatSlot(slot, ctx.timeZone)),
    outro: replyChoices(slots.length),
    priority,
  };
}

function sentence(text: string | null, priority = 0): Block | null {
  return text ? { kind: 'sentence', text, priority } : null;
}

function conversationBlocks(ctx: ReplyContext): Array<Block | null> {
  const business = ctx.profile.name;
  const name = firstNameOf(ctx);
  const kind = ctx.profile.meeting.kind;
  const first = ctx.kind === 'first-reply';
  const questions = questionsSentence(ctx.missing, ctx.channel, Boolean(ctx.bookingUrl));
  const offer = slotsBlock(
    ctx,
    `We can set up a ${kind} at one of these times:`,
    2,
    `You can pick a time for a ${kind} here:`,
  );
  return [
    { kind: 'greeting', name },
    sentence(first ? `Thanks for contacting ${business}!` : 'Thanks for the details!'),
    sentence(first || askedAboutPrice(ctx.qualification) ? serviceSentence(ctx) : null, 4),
    outsideAreaSentence(ctx),
    sentence(urgentSentence(ctx), 3),
    offer,
    sentence(questions, 5),
    !questions && !offer && !first ? sentence("We'll be in touch shortly.", 6) : null,
  ];
}

function blocksFor(ctx: ReplyContext): Block[] {
  const business = ctx.profile.name;
  const name = firstNameOf(ctx);
  const kind = ctx.profile.meeting.kind;
  const sms = ctx.channel === 'sms';
  let blocks: Array<Block | null>;
  switch (ctx.kind) {
    case 'first-reply':
    case 'follow-up-reply':
      blocks = conversationBlocks(ctx);
      break;
    case 'slots-offered':
      blocks = [
        { kind: 'greeting', name },
        slotsBlock(
          ctx,
          `Here are times for a ${kind} with ${business}:`,
          0,
          `You can book a ${kind} with ${business} here:`,
        ) ?? sentence(`We'll be in touch to find a time for a ${kind}.`),
      ];
      break;
    case 'slot-taken':
      blocks = [
        { kind: 'greeting', name },
        sentence('Sorry, that time was just taken.'),
        slotsBlock(ctx, 'Here are other times:', 0, 'You can pick another time here:') ??
          sentence("We'll be in touch to find another time."),
      ];
      break;
    case 'meeting-booked': {
      const meeting = ctx.meeting ?? ctx.slots?.[0];
      blocks = [
        { kind: 'greeting', name },
        sentence(
          meeting
            ? `Your ${kind} with ${business} is booked for ${formatSlot(meeting, ctx.timeZone)}.`
            : `Your ${kind} with ${business} is booked.`,
        ),
        sentence('Reply here if you need to change it.'),
        sentence(questionsSentence(ctx.missing, ctx.channel)),
      ];
      break;
    }
    case 'opt-out-confirmation':
      blocks = [
        sentence(
          sms
            ? `You're unsubscribed from ${business} texts. No more messages will be sent. Reply START to resubscribe.`
            : `You're unsubscribed from ${business} emails. No more messages will be sent.`,
        ),
      ];
      break;
    case 'opt-in-confirmation':
      blocks = [
        sentence(
          sms
            ? `You're resubscribed to ${business} texts. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`
            : `You're resubscribed to ${business} emails.`,
        ),
      ];
      break;
    case 'help':
      blocks = [
        sentence(
          `${business}: send us your question and we'll get back to you. Hours: ${describeHours(ctx.profile.hours, ctx.profile.timeZone)}.`,
        ),
        sms ? { kind: 'footer', text: SMS_OPT_OUT_FOOTER } : null,
      ];
      break;
  }
  if (sms && ctx.kind === 'first-reply') blocks.push({ kind: 'footer', text: SMS_OPT_OUT_FOOTER });
  return blocks.filter((block): block is Block => block !== null);
}

function renderSms(blocks: ReadonlyArray<Block>): string {
  const parts: string[] = [];
  let greeted = false;
  for (const block of blocks) {
    if (block.kind === 'greeting') {
      greeted = block.name !== null;
      if (greeted) parts.push(`Hi ${block.name},`);
      continue;
    }
    const text =
      block.kind === 'slots'
        ? `${block.intro} ${block.items.map((item, i) => `${i + 1}) ${item}`).join(' ')}. ${block.outro}`
        : block.kind === 'link'
          ? // No full stop after the link: some phones would take it into the address.
            `${block.intro} ${block.url}`
          : block.text;
    // "Hi Jane, thanks for ..." reads as one sentence.
    parts.push(greeted && parts.length === 1 ? text.charAt(0).toLowerCase() + text.slice(1) : text);
  }
  return toSmsText(parts.join(' '));
}

type Optional = Extract<Block, { priority: number }>;

function shortened(block: Optional): Optional | null {
  if (block.kind === 'slots')
    return block.intro !== block.shortIntro ? { ...block, intro: block.shortIntro } : null;
  return block.short && block.short !== block.text ? { ...block, text: block.short } : null;
}

/**
 * Fits a text into `max` characters when it can: first shortens optional blocks, least
 * important first, then drops them in the same order. Required blocks always stay.
 */
function fitSms(blocks: ReadonlyArray<Block>, max: number): string {
  let kept = [...blocks];
  const byImportance = () =>
    kept
      .filter(
        (block): block is Optional =>
          (block.kind === 'sentence' || block.kind === 'slots') && block.priority > 0,
      )
      .sort((a, b) => b.priority - a.priority);
  let text = renderSms(kept);
  while (text.length > max) {
    const optional = byImportance();
    const shortenable = optional.find((block) => shortened(block) !== null);
    if (shortenable) {
      const shorter = shortened(shortenable);
      kept = kept.map((block) => (block === shortenable && shorter ? shorter : block));
    } else if (optional[0]) {
      const leastImportant = optional[0];
      kept = kept.filter((block) => block !== leastImportant);
    } else {
      break;
    }
    text = renderSms(kept);
  }
  return text;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function renderEmail(blocks: ReadonlyArray<Block>, business: string): { text: string; html: string } {
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  let sentences: string[] = [];
  const flush = () => {
    if (sentences.length === 0) return;
    textParts.push(sentences.join(' '));
    htmlParts.push(`<p>${escapeHtml(sentences.join(' '))}</p>`);
    sentences = [];
  };
  for (const block of blocks) {
    if (block.kind === 'greeting') {
      const greeting = block.name ? `Hi ${block.name},` : 'Hello,';
      textParts.push(greeting);
      htmlParts.push(`<p>${escapeHtml(greeting)}</p>`);
    } else if (block.kind === 'slots') {
      flush();
      textParts.push(
        [
          block.intro,
          ...block.items.map((item, i) => `${i + 1}. ${item}`),
          block.outro.replace(/^Reply /, 'Reply with '),
        ].join('\n'),
      );
      htmlParts.push(
        `<p>${escapeHtml(block.intro)}</p><ol>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>` +
          `<p>${escapeHtml(block.outro.replace(/^Reply /, 'Reply with '))}</p>`,
      );
    } else if (block.kind === 'link') {
      flush();
      textParts.push(`${block.intro}\n${block.url}`);
      htmlParts.push(
        `<p>${escapeHtml(block.intro)}<br><a href="${escapeHtml(block.url)}">${escapeHtml(block.url)}</a></p>`,
      );
    } else {
      sentences.push(block.text);
    }
  }
  flush();
  textParts.push(`Best regards,\n${business}`);
  htmlParts.push(`<p>Best regards,<br>${escapeHtml(business)}</p>`);
  return {
    text: textParts.join('\n\n'),
    html: htmlDocument(htmlParts),
  };
}

function htmlDocument(parts: ReadonlyArray<string>): string {
  return `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.4">${parts.join('')}</body></html>`;
}

const DEFAULT_SUBJECTS: Readonly<Record<ReplyKind, (business: string, meetingKind: string) => string>> = {
  'first-reply': (b) => `${b}: thanks for reaching out`,
  'follow-up-reply': (b) => `${b}: thanks for reaching out`,
  'slots-offered': (b, k) => `${b}: pick a time for your ${k}`,
  'slot-taken': (b, k) => `${b}: pick another time for your ${k}`,
  'meeting-booked': (b, k) => `${b}: your ${k} is booked`,
  'opt-out-confirmation': (b) => `${b}: you're unsubscribed`,
  'opt-in-confirmation': (b) => `${b}: you're subscribed again`,
  help: (b) => `${b}: how we can help`,
};

function subjectFor(ctx: ReplyContext): string {
  // Header values must never carry a line break from the lead's subject.
  const inbound = ctx.inboundSubject?.replace(/[\r\n]+/g, ' ').trim();
  if (inbound) return clip(/^re:/i.test(inbound) ? inbound : `Re: ${inbound}`, 200);
  return DEFAULT_SUBJECTS[ctx.kind](ctx.profile.name, ctx.profile.meeting.kind);
}

/** The reply to send the lead: short, useful, in the business's voice, and deterministic. */
export function composeReply(ctx: ReplyContext): ComposedReply {
  const blocks = blocksFor(ctx);
  if (ctx.channel === 'sms') {
    return { text: ctx.kind === 'first-reply' ? fitSms(blocks, FIRST_SMS_MAX_CHARS) : renderSms(blocks) };
  }
  return { subject: subjectFor(ctx), ...renderEmail(blocks, ctx.profile.name) };
}

/**
 * A reply whose body someone else wrote (a drafted, already checked text), dressed as
 * `composeReply` dresses its own: the opt-out footer on a first text, the subject and the
 * sign-off on an email.
 */
export function composeWithBody(ctx: ReplyContext, body: string): ComposedReply {
  if (ctx.channel === 'sms') {
    const flat = body.replace(/\s+/g, ' ').trim();
    return { text: toSmsText(ctx.kind === 'first-reply' ? `${flat} ${SMS_OPT_OUT_FOOTER}` : flat) };
  }
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  const signOff = `Best regards,\n${ctx.profile.name}`;
  return {
    subject: subjectFor(ctx),
    text: [...paragraphs, signOff].join('\n\n'),
    html: htmlDocument([
      ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
      `<p>Best regards,<br>${escapeHtml(ctx.profile.name)}</p>`,
    ]),
  };
}
