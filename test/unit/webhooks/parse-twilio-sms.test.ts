import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_TWIML,
  InboundSmsParseError,
  parseInboundSms,
  parseTwilioForm,
  TwilioSmsParams,
  toInboundSms,
  twilioSignature,
  verifyTwilioSignature,
} from '../../../functions/inbound-sms/parse-twilio-sms.ts';

/** A body as Twilio posts it for an MMS with two pictures (form-encoded, `+` for spaces). */
const MMS_BODY = [
  'ToCountry=US',
  'MediaContentType0=image%2Fjpeg',
  'ToState=TX',
  'SmsMessageSid=MM7f2d0c1a9b8e4d3c2b1a0f9e8d7c6b5a',
  'NumMedia=2',
  'ToCity=AUSTIN',
  'FromZip=78701',
  'SmsSid=MM7f2d0c1a9b8e4d3c2b1a0f9e8d7c6b5a',
  'FromState=TX',
  'SmsStatus=received',
  'FromCity=AUSTIN',
  'Body=Hi%21+Need+a+quote+for+a+roof+%E2%80%94+2%2C400+sq+ft.+Photos+attached+%F0%9F%93%B7',
  'FromCountry=US',
  'To=%2B15125550100',
  'MessagingServiceSid=MG0123456789abcdef0123456789abcdef',
  'ToZip=78702',
  'NumSegments=1',
  'MediaContentType1=image%2Fpng',
  'MessageSid=MM7f2d0c1a9b8e4d3c2b1a0f9e8d7c6b5a',
  'AccountSid=AC0123456789abcdef0123456789abcdef',
  'From=%2B15125550199',
  'MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC01%2FMessages%2FMM7f%2FMedia%2FME01',
  'MediaUrl1=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC01%2FMessages%2FMM7f%2FMedia%2FME02',
  'ApiVersion=2010-04-01',
].join('&');

const SMS_BODY =
  'MessageSid=SM11111111111111111111111111111111&AccountSid=AC0123456789abcdef0123456789abcdef' +
  '&From=%2B15125550199&To=%2B15125550100&Body=STOP&NumMedia=0&OptOutType=STOP';

describe('parseTwilioForm', () => {
  it('decodes a form body, with + as space and UTF-8 percent escapes', () => {
    const params = parseTwilioForm(MMS_BODY);

    expect(params.Body).toBe('Hi! Need a quote for a roof — 2,400 sq ft. Photos attached 📷');
    expect(params.From).toBe('+15125550199');
    expect(params.MediaUrl1).toBe('https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM7f/Media/ME02');
  });

  it('keeps the last value of a repeated key', () => {
    expect(parseTwilioForm('Body=first&Body=second&To=%2B1')).toEqual({ Body: 'second', To: '+1' });
  });

  it('reads an empty body as no parameters', () => {
    expect(parseTwilioForm('')).toEqual({});
  });
});

describe('TwilioSmsParams', () => {
  it('keeps parameters it does not name', () => {
    const params = TwilioSmsParams.parse({ ...parseTwilioForm(MMS_BODY), AddOns: '{"status":"successful"}' });

    expect(params.AddOns).toBe('{"status":"successful"}');
    expect(params.ToCity).toBe('AUSTIN');
  });

  it('defaults Body to an empty string', () => {
    const params = TwilioSmsParams.parse({
      MessageSid: 'SM1',
      AccountSid: 'AC1',
      From: '+1555',
      To: '+1666',
    });
    expect(params.Body).toBe('');
  });

  it('requires MessageSid, AccountSid, From and To', () => {
    for (const key of ['MessageSid', 'AccountSid', 'From', 'To']) {
      const params = parseTwilioForm(SMS_BODY);
      delete params[key];
      expect(TwilioSmsParams.safeParse(params).success, key).toBe(false);
    }
  });

  it('refuses a NumMedia that is not a whole number', () => {
    expect(TwilioSmsParams.safeParse({ ...parseTwilioForm(SMS_BODY), NumMedia: 'two' }).success).toBe(false);
  });

  it('reads OptOutType in any case and ignores a value it does not know', () => {
    const base = parseTwilioForm(SMS_BODY);
    expect(TwilioSmsParams.parse({ ...base, OptOutType: 'help' }).OptOutType).toBe('HELP');
    expect(TwilioSmsParams.parse({ ...base, OptOutType: 'UNSUBSCRIBE_ALL' }).OptOutType).toBeUndefined();
  });
});

describe('toInboundSms', () => {
  it('maps an MMS with its media in order', () => {
    const sms = toInboundSms(TwilioSmsParams.parse(parseTwilioForm(MMS_BODY)));

    expect(sms).toEqual({
      messageSid: 'MM7f2d0c1a9b8e4d3c2b1a0f9e8d7c6b5a',
      accountSid: 'AC0123456789abcdef0123456789abcdef',
      from: '+15125550199',
      to: '+15125550100',
      body: 'Hi! Need a quote for a roof — 2,400 sq ft. Photos attached 📷',
      media: [
        {
          url: 'https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM7f/Media/ME01',
          contentType: 'image/jpeg',
        },
        {
          url: 'https://api.twilio.com/2010-04-01/Accounts/AC01/Messages/MM7f/Media/ME02',
          contentType: 'image/png',
        },
      ],
      fromState: 'TX',
    });
  });

  it('maps an opt-out without media', () => {
    const sms = toInboundSms(TwilioSmsParams.parse(parseTwilioForm(SMS_BODY)));

    expect(sms).toEqual({
      messageSid: 'SM11111111111111111111111111111111',
      accountSid: 'AC0123456789abcdef0123456789abcdef',
      from: '+15125550199',
      to: '+15125550100',
      body: 'STOP',
      media: [],
      optOutType: 'STOP',
    });
  });

  it('skips media whose URL is missing and reads at most ten', () => {
    const params = TwilioSmsParams.parse({
      ...parseTwilioForm(SMS_BODY),
      NumMedia: '12',
      ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`MediaUrl${i}`, `https://m.example/${i}`])),
      MediaUrl3: '',
    });

    const urls = toInboundSms(params).media.map((m) => m.url);

    expect(urls).toHaveLength(9);
    expect(urls).not.toContain('https://m.example/3');
    expect(urls).not.toContain('https://m.example/10');
    expect(toInboundSms(params).media[0]?.contentType).toBe('application/octet-stream');
  });
});

describe('parseInboundSms', () => {
  it('parses a form body into an InboundSms', () => {
    expect(parseInboundSms(SMS_BODY).optOutType).toBe('STOP');
  });

  it('throws a 400 InboundSmsParseError when a required parameter is missing', () => {
    let error: unknown;
    try {
      parseInboundSms('Body=hello&From=%2B15125550199');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InboundSmsParseError);
    expect((error as InboundSmsParseError).statusCode).toBe(400);
    expect((error as InboundSmsParseError).message).toContain('MessageSid');
  });
});

describe('Twilio signatures', () => {
  const AUTH_TOKEN = '12345';
  const URL = 'https://sms.leadline.example/webhooks/sms?tenant=acme';
  const params = parseTwilioForm(MMS_BODY);

  /** The documented algorithm, written out independently of the twilio package. */
  const hmac = (token: string, url: string, p: Record<string, string>) =>
    createHmac('sha1', token)
      .update(
        Object.keys(p)
          .sort()
          .reduce((acc, key) => acc + key + p[key], url),
      )
      .digest('base64');

  it("computes the signature of Twilio's documented example", () => {
    const docParams = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675310',
      Digits: '1234',
      From: '+14158675310',
      To: '+18005551212',
    };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';

    expect(twilioSignature({ authToken: AUTH_TOKEN, url, params: docParams })).toBe(
      'GvWf1cFY/Q7PnoempGyD5oXAezc=',
    );
  });

  it('computes HMAC-SHA1 over the URL and the sorted parameters', () => {
    expect(twilioSignature({ authToken: AUTH_TOKEN, url: URL, params })).toBe(hmac(AUTH_TOKEN, URL, params));
  });

  it('accepts a valid signature', () => {
    const signature = hmac(AUTH_TOKEN, URL, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, signature, url: URL, params })).toBe(true);
  });

  it('refuses a wrong token, a changed parameter, an added parameter or another URL', () => {
    const signature = hmac(AUTH_TOKEN, URL, params);
    expect(verifyTwilioSignature({ authToken: 'other', signature, url: URL, params })).toBe(false);
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature,
        url: URL,
        params: { ...params, Body: 'changed' },
      }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature,
        url: URL,
        params: { ...params, Extra: 'x' },
      }),
    ).toBe(false);
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature,
        url: `${URL.split('?')[0]}?tenant=evil`,
        params,
      }),
    ).toBe(false);
  });

  it('refuses a missing or empty signature and an empty auth token', () => {
    const signature = hmac(AUTH_TOKEN, URL, params);
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: undefined, url: URL, params })).toBe(
      false,
    );
    expect(verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: '', url: URL, params })).toBe(false);
    expect(verifyTwilioSignature({ authToken: '', signature, url: URL, params })).toBe(false);
  });

  it('accepts a signature made with the default port when the URL has none, and the reverse', () => {
    const withPort = 'https://sms.leadline.example:443/webhooks/sms?tenant=acme';
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature: hmac(AUTH_TOKEN, withPort, params),
        url: URL,
        params,
      }),
    ).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature: hmac(AUTH_TOKEN, URL, params),
        url: withPort,
        params,
      }),
    ).toBe(true);
  });

  it('refuses a signature made for another port', () => {
    const otherPort = 'https://sms.leadline.example:8443/webhooks/sms?tenant=acme';
    expect(
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        signature: hmac(AUTH_TOKEN, otherPort, params),
        url: URL,
        params,
      }),
    ).toBe(false);
  });

  it('returns false rather than throwing for a URL it cannot parse', () => {
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, signature: 'abc=', url: 'not a url', params }),
    ).toBe(false);
  });
});

describe('EMPTY_TWIML', () => {
  it('is an empty Response document', () => {
    expect(EMPTY_TWIML).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});
