import * as z from 'zod';
import { parseTwilioForm } from '#shared/adapters/twilio/twilio-webhook.ts';

// Signature checking is shared with the status-callback webhook.
export {
  parseTwilioForm,
  TWILIO_SIGNATURE_HEADER,
  type TwilioSignatureInput,
  twilioSignature,
  verifyTwilioSignature,
} from '#shared/adapters/twilio/twilio-webhook.ts';

/** What the webhook answers Twilio: no reply from here (replies go out later, behind the bus). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio sends at most 10 media items with one message. */
const MAX_MEDIA = 10;

const optionalText = z.string().optional();

/**
 * The form Twilio posts for an inbound message. Twilio says parameters vary and change,
 * so unknown keys (MediaUrl0…, ToCity, AddOns, …) are kept.
 */
export const TwilioSmsParams = z
  .object({
    MessageSid: z.string().min(1),
    AccountSid: z.string().min(1),
    From: z.string().min(1),
    To: z.string().min(1),
    Body: z.string().default(''),
    NumMedia: z.string().regex(/^\d+$/, 'NumMedia must be a whole number').optional(),
    NumSegments: optionalText,
    MessagingServiceSid: optionalText,
    SmsMessageSid: optionalText,
    SmsSid: optionalText,
    SmsStatus: optionalText,
    ApiVersion: optionalText,
    FromCity: optionalText,
    FromState: optionalText,
    FromZip: optionalText,
    FromCountry: optionalText,
    ToCity: optionalText,
    ToState: optionalText,
    ToZip: optionalText,
    ToCountry: optionalText,
    // An unexpected value must not lose the lead's message: it reads as "no opt-out type".
    OptOutType: z
      .preprocess((v) => (typeof v === 'string' ? v.toUpperCase() : v), z.enum(['STOP', 'START', 'HELP']))
      .optional()
      .catch(undefined),
  })
  .loose();
export type TwilioSmsParams = z.infer<typeof TwilioSmsParams>;

export interface InboundSms {
  messageSid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  media: { url: string; contentType: string }[];
  fromState?: string;
  optOutType?: 'STOP' | 'START' | 'HELP';
}

/** Why a Twilio post could not be read; the webhook answers `statusCode`. */
export class InboundSmsParseError extends Error {
  override readonly name = 'InboundSmsParseError';
  readonly statusCode = 400;
}

/** The facts Leadline keeps from Twilio's parameters; media from `NumMedia` and `MediaUrl{N}`. */
export const toInboundSms = (params: TwilioSmsParams): InboundSms => {
  const count = Math.min(Number(params.NumMedia ?? '0'), MAX_MEDIA);
  const media: InboundSms['media'] = [];
  for (let i = 0; i < count; i++) {
    const url = params[`MediaUrl${i}`];
    const contentType = params[`MediaContentType${i}`];
    if (typeof url === 'string' && url) {
      media.push({
        url,
        contentType:
          typeof contentType === 'string' && contentType ? contentType : 'application/octet-stream',
      });
    }
  }
  return {
    messageSid: params.MessageSid,
    accountSid: params.AccountSid,
    from: params.From,
    to: params.To,
    body: params.Body,
    media,
    ...(params.FromState ? { fromState: params.FromState } : {}),
    ...(params.OptOutType ? { optOutType: params.OptOutType } : {}),
  };
};

/**
 * Form body → validated `InboundSms`.
 * @throws InboundSmsParseError (400) when a required parameter is missing or malformed
 */
export const parseInboundSms = (rawBody: string): InboundSms => {
  const parsed = TwilioSmsParams.safeParse(parseTwilioForm(rawBody));
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new InboundSmsParseError(`Invalid Twilio webhook: ${problems}`, { cause: parsed.error });
  }
  return toInboundSms(parsed.data);
};
