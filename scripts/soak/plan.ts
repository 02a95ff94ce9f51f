import { SeededRandom } from './random.ts';
import { type SoakTexts, soakTexts } from './texts.ts';

export type SoakChannel = 'sms' | 'email';
/** A request that must be refused and leave no trace. */
export type Forgery = 'bad-twilio-signature' | 'wrong-basic-auth';
export type MessageRole =
  | 'opener'
  | 'burst'
  | 'follow-up'
  | 'question'
  | 'slot-choice'
  | 'closing'
  | 'stop'
  | 'forged';

export interface SoakContact {
  index: number;
  channel: SoakChannel;
  /** E.164 phone number or lower-cased email address, as Leadline stores a contact. */
  address: string;
  name: string;
  /** Used only by forged requests: no lead may ever exist for it. */
  forged: boolean;
}

/** One message a contact writes: one provider id, sent once or more (repeats, retries). */
export interface PlannedMessage {
  key: string;
  contact: number;
  channel: SoakChannel;
  /** Twilio `MessageSid` or the email's `Message-ID`. */
  providerId: string;
  body: string;
  subject?: string;
  role: MessageRole;
  /** Messages one contact sends together, within a second, share a burst id. */
  burst?: string;
  forgery?: Forgery;
}

/** One webhook request of the plan: a first delivery of a message, or an exact repeat of it. */
export interface PlannedDelivery {
  id: string;
  message: string;
  repeat: boolean;
  /** Pause before sending, in milliseconds. */
  gapBeforeMs: number;
}

/** Deliveries one thread sends one after another (a burst is one job). */
export interface PlannedJob {
  deliveries: PlannedDelivery[];
}

export interface SoakPlan {
  seed: number;
  contacts: SoakContact[];
  messages: PlannedMessage[];
  /** In the order threads take them. */
  jobs: PlannedJob[];
  deliveryCount: number;
  /** SIGKILL once delivery number `afterDelivery` (1-based) has started, `delayMs` later. */
  kill: { afterDelivery: number; delayMs: number };
}

export interface PlanOptions {
  seed: number;
  /** Webhook requests in all: first deliveries, repeats and forgeries. */
  messages: number;
  concurrency: number;
  /** Largest pause a thread takes before a job, in milliseconds. */
  maxGapMs: number;
}

const REPEAT_SHARE = 0.1;
const FORGED_SHARE = 0.01;
const BURST_SHARE = 0.25;
const STOP_SHARE = 0.15;
const SMS_SHARE = 0.7;
/** Texas area codes; with the fictional exchange 555-01XX (NANP reserves 555-0100–0199). */
const AREA_CODES =
  '512 737 254 830 361 979 936 210 214 281 325 346 409 430 432 469 682 713 726 806 817 832 903 915 940 956 972'.split(
    ' ',
  );
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;
/** The business's own number in the demo profile: never a contact. */
const BUSINESS_NUMBER = '+15125550100';
export const MIN_MESSAGES = 20;
/** Every contact keeps a number of its own (27 area codes × 99 numbers). */
export const MAX_MESSAGES = 2_000;

interface Turn {
  contact: number;
  messages: PlannedMessage[];
  position: number;
}

/** Hands out contact addresses that never repeat within a plan. */
class AddressBook {
  private phones = 0;
  private emails = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly texts: SoakTexts,
  ) {}

  next(channel: SoakChannel): { address: string; name: string } {
    const name = `${this.random.pick(this.texts.firstNames)} ${this.random.pick(this.texts.lastNames)}`;
    if (channel === 'email') {
      const n = this.emails++;
      const local = name.toLowerCase().replace(/[^a-z]+/g, '.');
      return { address: `${local}${n}@${EMAIL_DOMAINS[n % EMAIL_DOMAINS.length]}`, name };
    }
    for (;;) {
      const n = this.phones++;
      const area = AREA_CODES[Math.floor(n / 99) % AREA_CODES.length]!;
      const address = `+1${area}55501${String((n % 99) + 1).padStart(2, '0')}`;
      if (address !== BUSINESS_NUMBER) return { address, name };
    }
  }
}

/**
 * The soak's whole plan from a seed: contacts, what each writes and in which order, which requests
 * are repeated or forged, and when the runtime is killed. The same options give the same plan;
 * only the timing of a run varies.
 */
export const buildPlan = (options: PlanOptions, texts: SoakTexts = soakTexts): SoakPlan => {
  const random = new SeededRandom(options.seed);
  const addresses = new AddressBook(random, texts);
  const forgedCount = Math.max(2, Math.round(options.messages * FORGED_SHARE));
  const repeatCount = Math.round(options.messages * REPEAT_SHARE);
  const originalCount = options.messages - forgedCount - repeatCount;

  const contacts: SoakContact[] = [];
  const messages: PlannedMessage[] = [];
  const turns: Turn[] = [];
  let bursts = 0;
  const newMessage = (
    contact: SoakContact,
    content: Pick<PlannedMessage, 'body' | 'subject' | 'role' | 'burst' | 'forgery'>,
  ): PlannedMessage => {
    const message: PlannedMessage = {
      key: `m${String(messages.length + 1).padStart(4, '0')}`,
      contact: contact.index,
      channel: contact.channel,
      providerId:
        contact.channel === 'sms'
          ? `SM${random.hex(16)}`
          : `<soak-${options.seed}-${random.hex(10)}@mail.example.com>`,
      ...content,
    };
    messages.push(message);
    return message;
  };
  const newContact = (channel: SoakChannel, forged: boolean): SoakContact => {
    const contact = { index: contacts.length, channel, forged, ...addresses.next(channel) };
    contacts.push(contact);
    return contact;
  };

  // Contacts and their conversations, until the first deliveries are all planned. The first
  // three are fixed in kind so that even a small plan has a burst, a STOP and an email.
  const spacing = () => random.int(options.concurrency, 6 * options.concurrency);
  let planned = 0;
  const horizon = Math.max(1, Math.round(originalCount / 2));
  while (planned < originalCount) {
    const n = contacts.length;
    const channel: SoakChannel =
      n < 2 ? 'sms' : n === 2 ? 'email' : random.chance(SMS_SHARE) ? 'sms' : 'email';
    const contact = newContact(channel, false);
    const conversation = converse(contact, random, texts, {
      burst: n === 0 || (n > 2 && random.chance(BURST_SHARE)),
      stop: n === 1 || (n > 2 && random.chance(STOP_SHARE)),
    });
    let position = random.int(0, horizon) + random.int(0, 999) / 1000;
    for (const turn of conversation) {
      const room = originalCount - planned;
      if (room <= 0) break;
      const kept = turn.slice(0, room);
      const burst = kept.length > 1 ? `b${String(++bursts).padStart(3, '0')}` : undefined;
      turns.push({
        contact: contact.index,
        position,
        messages: kept.map((m) => newMessage(contact, { ...m, ...(burst && { burst }) })),
      });
      planned += kept.length;
      position += spacing();
    }
  }

  // Forged requests, each from a contact of its own.
  const maxPosition = Math.max(...turns.map((t) => t.position));
  const singles: Array<{ message: PlannedMessage; position: number; repeat: boolean }> = [];
  for (let i = 0; i < forgedCount; i++) {
    const channel: SoakChannel = i % 2 === 0 ? 'sms' : 'email';
    const contact = newContact(channel, true);
    const opener = random.pick(texts.email.openers);
    const message = newMessage(contact, {
      role: 'forged',
      forgery: channel === 'sms' ? 'bad-twilio-signature' : 'wrong-basic-auth',
      body: channel === 'sms' ? random.pick(texts.sms.openers) : opener.text,
      ...(channel === 'email' && { subject: opener.subject }),
    });
    singles.push({ message, position: random.int(0, Math.ceil(maxPosition)) + 0.5, repeat: false });
  }

  // Exact repeats: a third right behind the original (so another thread sends them at once),
  // the rest a little later.
  const firstSends = turns.flatMap((t) => t.messages.map((message) => ({ message, position: t.position })));
  for (let i = 0; i < repeatCount; i++) {
    const original = random.pick(firstSends);
    const later = random.chance(1 / 3) ? 0.0001 : random.int(1, 4 * options.concurrency);
    singles.push({ message: original.message, position: original.position + later, repeat: true });
  }

  const ordered = [
    ...turns.map((t) => ({ position: t.position, messages: t.messages, repeat: false })),
    ...singles.map((s) => ({ position: s.position, messages: [s.message], repeat: s.repeat })),
  ].sort((a, b) => a.position - b.position);

  let deliveryCount = 0;
  const jobs: PlannedJob[] = ordered.map((job) => ({
    deliveries: job.messages.map((message, i) => ({
      id: `d${String(++deliveryCount).padStart(4, '0')}`,
      message: message.key,
      repeat: job.repeat,
      // A burst's messages follow each other within the same second.
      gapBeforeMs: i === 0 ? random.int(0, options.maxGapMs) : random.int(20, 300),
    })),
  }));

  return {
    seed: options.seed,
    contacts,
    messages,
    jobs,
    deliveryCount,
    kill: {
      afterDelivery: random.int(Math.round(deliveryCount * 0.4), Math.round(deliveryCount * 0.6)),
      delayMs: random.int(0, 300),
    },
  };
};

type Draft = Pick<PlannedMessage, 'body' | 'subject' | 'role'>;

/** A contact's turns: what it writes first (one message, or a burst), then later turns. */
const converse = (
  contact: SoakContact,
  random: SeededRandom,
  texts: SoakTexts,
  options: { burst: boolean; stop: boolean },
): Draft[][] => {
  const used = new Set<string>();
  // A contact never writes the same words twice, so each stored message is told apart by its body too.
  const fresh = (pool: readonly string[]): string | undefined => {
    const left = pool.filter((text) => !used.has(text));
    if (left.length === 0) return undefined;
    const text = random.pick(left);
    used.add(text);
    return text;
  };
  const turns: Draft[][] = [];
  if (contact.channel === 'sms') {
    if (options.burst) {
      const burst = random.pick(texts.sms.bursts);
      for (const text of burst) used.add(text);
      turns.push(burst.map((body) => ({ body, role: 'burst' })));
    } else {
      turns.push([{ body: fresh(texts.sms.openers)!, role: 'opener' }]);
    }
    const pools = [
      ['follow-up', texts.sms.followUps],
      ['question', texts.sms.questions],
      ['slot-choice', texts.sms.slotChoices],
      ['closing', texts.sms.closings],
    ] as const;
    for (let i = random.int(options.stop ? 1 : 0, 2); i > 0; i--) {
      const [role, pool] = random.pick(pools);
      const body = fresh(pool);
      if (body) turns.push([{ body, role }]);
    }
    if (options.stop) turns.push([{ body: random.pick(texts.sms.optOuts), role: 'stop' }]);
    return turns;
  }
  const opener = random.pick(texts.email.openers);
  used.add(opener.text);
  turns.push([{ body: opener.text, subject: opener.subject, role: 'opener' }]);
  const pools = [
    ['follow-up', texts.email.followUps],
    ['question', texts.email.questions],
    ['slot-choice', texts.email.slotChoices],
  ] as const;
  for (let i = random.int(0, 2); i > 0; i--) {
    const [role, pool] = random.pick(pools);
    const body = fresh(pool);
    if (body) turns.push([{ body, subject: `Re: ${opener.subject}`, role }]);
  }
  return turns;
};
