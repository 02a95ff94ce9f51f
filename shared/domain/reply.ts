import { type BusinessProfile, inLanguage, type Service } from '#shared/config/business-profile.ts';
import type { Qualification, Urgency } from '#shared/domain/qualification.ts';
import { describeHours } from '#shared/domain/reply/hours.ts';
import {
  type Block,
  escapeHtml,
  fitSms,
  htmlDocument,
  renderEmail,
  renderSms,
} from '#shared/domain/reply/render.ts';
import {
  fill,
  meetingKindIn,
  type ReplyTemplates,
  replyLanguage,
  templatesFor,
} from '#shared/domain/reply/templates.ts';
import { serviceAreaMatch } from '#shared/domain/scoring.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import { toSmsText } from '#shared/domain/sms-text.ts';

export { describeHours } from '#shared/domain/reply/hours.ts';

export type ReplyKind =
  | 'first-reply'
  | 'follow-up-reply'
  | 'slots-offered'
  | 'slot-taken'
  | 'meeting-booked'
  | 'meeting-cancelled'
  | 'meeting-moved'
  | 'opt-out-confirmation'
  | 'opt-in-confirmation'
  | 'help';

export type MissingDetail = 'name' | 'need' | 'location' | 'timing' | 'email';

export interface ReplyContext {
  kind: ReplyKind;
  channel: 'sms' | 'email';
  profile: BusinessProfile;
  lead: { name?: string | undefined; phone?: string | undefined };
  /** What this message said. */
  qualification?: Qualification | undefined;
  /** What the conversation has told so far (`mergeFacts`): urgency never decays. */
  known?: { urgency?: Urgency | undefined; location?: string | undefined } | undefined;
  /** What we still do not know: from missingDetails(). */
  missing: ReadonlyArray<MissingDetail>;
  slots?: ReadonlyArray<{ start: Date; end: Date }>;
  /** The business books through a scheduling page: the lead gets this link instead of slots. */
  bookingUrl?: string | undefined;
  meeting?: { start: Date; end: Date };
  /** The meeting just cancelled or released (meeting-cancelled, meeting-moved). */
  previousMeeting?: { start: Date; end: Date } | undefined;
  /** A meeting is booked and still ahead: the next step is keeping or changing it. */
  booked?: boolean | undefined;
  /** This message made the lead hot: a rep is told now, so a person follows up. */
  hot?: boolean | undefined;
  inboundSubject?: string | undefined;
  /** Zone the times are written in: the business's, which the offered slots are in. */
  timeZone: string;
  /** ISO 639-1 code of the lead's language; a language without templates gets English. */
  language?: string | undefined;
}

export interface ComposedReply {
  text: string;
  subject?: string;
  html?: string;
}

/** Two SMS segments: a first reply should fit, so it arrives as one readable message. */
export const FIRST_SMS_MAX_CHARS = 320;
/** Appended to the first text a lead gets (CTIA: say how to opt out). */
export const SMS_OPT_OUT_FOOTER = templatesFor('en').smsFooter;
const MAX_QUESTIONS = 2;

/**
 * What to ask the lead next, most important first, at most two so a reply stays one short
 * question; never what the conversation already told (`known`). Email is asked only once a meeting
 * is wanted (for the invite); on the email channel the caller passes the sender's address as known,
 * so it is never asked there. An urgent lead is not asked when they need it; a lead who only asked
 * about the business, or reports an emergency, is asked one thing at most.
 */
export function missingDetails(
  q: Qualification,
  known: {
    name?: string | undefined;
    email?: string | undefined;
    location?: string | undefined;
    need?: string | undefined;
    timing?: string | undefined;
    urgency?: Urgency | undefined;
  },
): MissingDetail[] {
  const wantsMeeting = q.wantsMeeting || q.slotChoice !== null;
  const urgency = known.urgency === 'emergency' || q.urgency === 'emergency' ? 'emergency' : q.urgency;
  const missing: MissingDetail[] = [];
  if (!q.need && !q.service && !known.need) missing.push('need');
  if (!q.location && !known.location) missing.push('location');
  const timingKnown = q.timing !== 'unknown' || (known.timing !== undefined && known.timing !== 'unknown');
  if (!timingKnown && !wantsMeeting && urgency === 'normal') missing.push('timing');
  if (!q.name && !known.name) missing.push('name');
  if (wantsMeeting && !q.email && !known.email) missing.push('email');
  const onlyAsking = q.questions.length > 0 && !q.need && !q.service && !wantsMeeting;
  return missing.slice(0, urgency === 'emergency' || onlyAsking ? 1 : MAX_QUESTIONS);
}

// --- wording --------------------------------------------------------------------------------

function questionsSentence(
  t: ReplyTemplates,
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
  if (!second) return t.questions[first].alone;
  return fill(t.askTwo, { first: t.questions[first].joined, second: t.questions[second].joined });
}

function firstNameOf(ctx: ReplyContext): string | null {
  const raw = ctx.lead.name ?? ctx.qualification?.name ?? '';
  const first = raw.trim().split(/\s+/)[0] ?? '';
  const clean = first.replace(/[^\p{L}'-]/gu, '').slice(0, 24);
  return clean.length > 0 ? clean.charAt(0).toUpperCase() + clean.slice(1) : null;
}

const asked = (ctx: ReplyContext, topic: Qualification['questions'][number]) =>
  ctx.qualification?.questions.includes(topic) ?? false;

function matchedService(ctx: ReplyContext): Service | undefined {
  const name = ctx.qualification?.service?.trim().toLowerCase();
  return name ? ctx.profile.services.find((service) => service.name.toLowerCase() === name) : undefined;
}

/** The service as the business names it (in the reply's language when the profile has it), with its price when asked. */
function serviceSentence(ctx: ReplyContext, t: ReplyTemplates, language: string): string | null {
  const service = matchedService(ctx);
  const priceAsked = asked(ctx, 'price');
  if (service) {
    const own = service.translations[language];
    const name = own?.name ?? service.name;
    const price = own?.priceHint ?? service.priceHint;
    if (!priceAsked) return fill(t.service, { service: name });
    return price ? fill(t.servicePrice, { service: name, price }) : fill(t.serviceQuote, { service: name });
  }
  return priceAsked ? t.priceDepends : null;
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 3).trimEnd()}...`;
}

/** Answers about the area: asked, or a location outside it. */
function areaBlock(ctx: ReplyContext, t: ReplyTemplates): Block | null {
  const location = ctx.qualification?.location ?? null;
  const area = ctx.profile.serviceArea.description;
  const match = serviceAreaMatch(location, ctx.profile.serviceArea.places);
  if (match === 'outside' && location) {
    return {
      kind: 'sentence',
      text: fill(t.areaOutside, { area, place: clip(location, 40) }),
      short: fill(t.areaOutsideShort, { area }),
      priority: 1,
    };
  }
  if (!asked(ctx, 'area')) return null;
  if (match === 'inside' && location) return sentence(fill(t.areaInside, { place: clip(location, 40) }), 1);
  return sentence(fill(t.areaServed, { area }), 1);
}

/** The business's own answers to what the lead asked: hours, licence, insurance. */
function answers(ctx: ReplyContext, t: ReplyTemplates, language: string): Array<Block | null> {
  const blocks: Array<Block | null> = [];
  if (asked(ctx, 'hours')) {
    const hours = describeHours(ctx.profile.hours, ctx.profile.timeZone, t.days);
    blocks.push(sentence(fill(t.hours, { hours }), 1));
  }
  const { licensed, insured } = ctx.profile.credentials;
  const credentials: string[] = [];
  let unanswered = false;
  for (const [topic, text] of [
    ['licensed', licensed],
    ['insured', insured],
  ] as const) {
    if (!asked(ctx, topic)) continue;
    if (text) credentials.push(inLanguage(text, language).replace(/[.!]+$/, ''));
    else unanswered = true;
  }
  if (credentials.length > 0) blocks.push(sentence(`${credentials.join('. ')}.`, 1));
  if (unanswered) blocks.push(sentence(t.askTeam, 1));
  return blocks;
}

function replyChoices(t: ReplyTemplates, count: number, channel: 'sms' | 'email'): string {
  const email = channel === 'email';
  if (count <= 1) return email ? t.chooseOneEmail : t.chooseOne;
  const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
  return fill(email ? t.chooseManyEmail : t.chooseMany, {
    list: numbers.slice(0, -1).join(', '),
    last: numbers.at(-1),
  });
}

// --- composition ----------------------------------------------------------------------------

/** The offer: the slots to pick from, or the booking link (`linkIntro`) when the business uses one. */
function slotsBlock(
  ctx: ReplyContext,
  t: ReplyTemplates,
  intro: string,
  priority: number,
  linkIntro: string,
): Block | null {
  if (ctx.bookingUrl) return { kind: 'link', intro: linkIntro, url: ctx.bookingUrl };
  const slots = ctx.slots ?? [];
  if (slots.length === 0) return null;
  return {
    kind: 'slots',
    intro,
    shortIntro: fill(t.slotsShortIntro, { kind: meetingKindIn(t, ctx.profile.meeting.kind) }),
    items: slots.map((slot) => formatSlot(slot, ctx.timeZone, t.locale)),
    outro: replyChoices(t, slots.length, 'sms'),
    outroEmail: replyChoices(t, slots.length, 'email'),
    priority,
  };
}

function sentence(text: string | null, priority = 0): Block | null {
  return text ? { kind: 'sentence', text, priority } : null;
}

function greeting(ctx: ReplyContext, t: ReplyTemplates): Block {
  const name = firstNameOf(ctx);
  return {
    kind: 'greeting',
    sms: name ? fill(t.greeting, { name }) : null,
    email: name ? fill(t.greeting, { name }) : t.hello,
    lowerNext: t.greeting.trimEnd().endsWith(','),
  };
}

const urgencyOf = (ctx: ReplyContext): Urgency => {
  const said = ctx.qualification?.urgency ?? 'normal';
  return ctx.known?.urgency === 'emergency' || said === 'emergency' ? 'emergency' : said;
};

/**
 * The answer to a lead's message: thanks, what is urgent first, answers to what they asked, the
 * service, and always a next step: an offer of times, a question for what is missing, or a person
 * (an emergency or a hot lead is called; a booked lead may change it; otherwise we offer a meeting).
 */
function conversationBlocks(ctx: ReplyContext, t: ReplyTemplates, language: string): Array<Block | null> {
  const business = ctx.profile.name;
  const kind = meetingKindIn(t, ctx.profile.meeting.kind);
  const first = ctx.kind === 'first-reply';
  const urgency = urgencyOf(ctx);
  const emergency = urgency === 'emergency';
  const questions = questionsSentence(t, ctx.missing, ctx.channel, Boolean(ctx.bookingUrl));
  const offer = slotsBlock(ctx, t, fill(t.slotsIntro, { kind }), 2, fill(t.linkIntro, { kind }));
  let nextStep: string | null = null;
  if (!emergency && !offer && !questions) {
    if (ctx.booked) nextStep = t.bookedChange;
    else if (ctx.hot && ctx.lead.phone) nextStep = t.teamWillCall;
    else nextStep = fill(t.offerMeeting, { kind });
  }
  return [
    greeting(ctx, t),
    sentence(first ? fill(t.thanksFirst, { business }) : t.thanksFollowUp, first ? 0 : 7),
    emergency ? sentence(ctx.lead.phone ? t.emergency : t.emergencyNoPhone) : null,
    ...answers(ctx, t, language),
    sentence(first || asked(ctx, 'price') ? serviceSentence(ctx, t, language) : null, 4),
    areaBlock(ctx, t),
    urgency === 'urgent' ? sentence(t.urgent, 3) : null,
    offer,
    // The next step stays whatever else is shortened: an offer, else the questions, else a person.
    sentence(questions, offer ? 5 : 0),
    sentence(nextStep),
  ];
}

function blocksFor(ctx: ReplyContext, t: ReplyTemplates, language: string): Block[] {
  const business = ctx.profile.name;
  const kind = meetingKindIn(t, ctx.profile.meeting.kind);
  const sms = ctx.channel === 'sms';
  const when = (slot: { start: Date } | undefined) => (slot ? formatSlot(slot, ctx.timeZone, t.locale) : '');
  let blocks: Array<Block | null>;
  switch (ctx.kind) {
    case 'first-reply':
    case 'follow-up-reply':
      blocks = conversationBlocks(ctx, t, language);
      break;
    case 'slots-offered':
      blocks = [
        greeting(ctx, t),
        slotsBlock(
          ctx,
          t,
          fill(t.slotsOffered, { kind, business }),
          0,
          fill(t.slotsOfferedLink, { kind, business }),
        ) ?? sentence(fill(t.slotsNone, { kind })),
      ];
      break;
    case 'slot-taken':
      blocks = [
        greeting(ctx, t),
        sentence(t.slotTaken),
        slotsBlock(ctx, t, t.slotTakenIntro, 0, t.slotTakenLink) ?? sentence(t.slotTakenNone),
      ];
      break;
    case 'meeting-booked': {
      const meeting = ctx.meeting ?? ctx.slots?.[0];
      blocks = [
        greeting(ctx, t),
        sentence(
          meeting
            ? fill(t.booked, { kind, business, when: when(meeting) })
            : fill(t.bookedNoTime, { kind, business }),
        ),
        sentence(t.bookedChange),
        sentence(questionsSentence(t, ctx.missing, ctx.channel)),
      ];
      break;
    }
    case 'meeting-cancelled':
      blocks = [
        greeting(ctx, t),
        sentence(fill(t.cancelled, { kind, business, when: when(ctx.previousMeeting) })),
        sentence(t.cancelledNext),
      ];
      break;
    case 'meeting-moved':
      blocks = [
        greeting(ctx, t),
        ctx.previousMeeting ? sentence(fill(t.moved, { kind, when: when(ctx.previousMeeting) })) : null,
        slotsBlock(ctx, t, t.movedIntro, 0, t.movedLink) ?? sentence(t.movedNone),
      ];
      break;
    case 'opt-out-confirmation':
      blocks = [sentence(fill(sms ? t.optOutSms : t.optOutEmail, { business }))];
      break;
    case 'opt-in-confirmation':
      blocks = [sentence(fill(sms ? t.optInSms : t.optInEmail, { business }))];
      break;
    case 'help':
      blocks = [
        sentence(
          fill(t.help, { business, hours: describeHours(ctx.profile.hours, ctx.profile.timeZone, t.days) }),
        ),
        sms ? { kind: 'footer', text: t.smsFooter } : null,
      ];
      break;
  }
  if (sms && ctx.kind === 'first-reply') blocks.push({ kind: 'footer', text: t.smsFooter });
  return blocks.filter((block): block is Block => block !== null);
}

function subjectFor(ctx: ReplyContext, t: ReplyTemplates): string {
  // Header values must never carry a line break from the lead's subject.
  const inbound = ctx.inboundSubject?.replace(/[\r\n]+/g, ' ').trim();
  if (inbound) return clip(/^re:/i.test(inbound) ? inbound : `Re: ${inbound}`, 200);
  return fill(t.subjects[ctx.kind], {
    business: ctx.profile.name,
    kind: meetingKindIn(t, ctx.profile.meeting.kind),
  });
}

/** The templates of the reply's language, with the business's own wording. */
const templatesOf = (ctx: Pick<ReplyContext, 'language' | 'profile'>) => {
  const language = replyLanguage(ctx.language);
  return { t: templatesFor(language, ctx.profile.replyTemplates), language };
};

/**
 * The reply to send the lead: short, useful, in the business's voice and the lead's language
 * (English and Spanish templates; another language gets English), and deterministic.
 */
export function composeReply(ctx: ReplyContext): ComposedReply {
  const { t, language } = templatesOf(ctx);
  const blocks = blocksFor(ctx, t, language);
  if (ctx.channel === 'sms') {
    return { text: ctx.kind === 'first-reply' ? fitSms(blocks, FIRST_SMS_MAX_CHARS) : renderSms(blocks) };
  }
  return {
    subject: subjectFor(ctx, t),
    ...renderEmail(blocks, { words: t.signOff, business: ctx.profile.name }),
  };
}

/** The opt-out footer a first text ends with, in the reply's language. */
export const smsFooterFor = (ctx: Pick<ReplyContext, 'language' | 'profile'>): string =>
  templatesOf(ctx).t.smsFooter;

/**
 * A reply whose body someone else wrote (a drafted, already checked text), dressed as
 * `composeReply` dresses its own: the opt-out footer on a first text, the subject and the
 * sign-off on an email.
 */
export function composeWithBody(ctx: ReplyContext, body: string): ComposedReply {
  const { t } = templatesOf(ctx);
  if (ctx.channel === 'sms') {
    const flat = body.replace(/\s+/g, ' ').trim();
    return { text: toSmsText(ctx.kind === 'first-reply' ? `${flat} ${t.smsFooter}` : flat) };
  }
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  const signOff = `${t.signOff}\n${ctx.profile.name}`;
  return {
    subject: subjectFor(ctx, t),
    text: [...paragraphs, signOff].join('\n\n'),
    html: htmlDocument([
      ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
      `<p>${escapeHtml(t.signOff)}<br>${escapeHtml(ctx.profile.name)}</p>`,
    ]),
  };
}
