import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import eventwebhook from '@sendgrid/eventwebhook';
import { describe, expect, it } from 'vitest';
import { readSendGridPublicKey, verifySendGridSignature } from '#shared/inbound/sendgrid-signature.ts';
import { checkBasicAuth } from '../../../functions/inbound-email/authenticate.ts';
import { buildMultipart } from '../../support/multipart.ts';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
const EXPECTED = { user: 'sendgrid', password: 'pa:ss-wörd_42' };

describe('checkBasicAuth', () => {
  it('accepts the expected user and password', () => {
    expect(checkBasicAuth(basic('sendgrid:pa:ss-wörd_42'), EXPECTED)).toBe(true);
  });

  it('accepts the scheme in any case and surrounding spaces', () => {
    const token = Buffer.from('sendgrid:pa:ss-wörd_42').toString('base64');
    expect(checkBasicAuth(`  basic   ${token} `, EXPECTED)).toBe(true);
  });

  it('refuses a wrong password, a wrong user or a password prefix', () => {
    expect(checkBasicAuth(basic('sendgrid:wrong'), EXPECTED)).toBe(false);
    expect(checkBasicAuth(basic('someone:pa:ss-wörd_42'), EXPECTED)).toBe(false);
    expect(checkBasicAuth(basic('sendgrid:pa:ss'), EXPECTED)).toBe(false);
    expect(checkBasicAuth(basic('sendgrid:pa:ss-wörd_42x'), EXPECTED)).toBe(false);
  });

  it('refuses a missing, empty or non-Basic header', () => {
    expect(checkBasicAuth(undefined, EXPECTED)).toBe(false);
    expect(checkBasicAuth('', EXPECTED)).toBe(false);
    expect(checkBasicAuth('Bearer abc.def.ghi', EXPECTED)).toBe(false);
    expect(checkBasicAuth('Basic', EXPECTED)).toBe(false);
  });

  it('refuses credentials without a colon or that are not base64', () => {
    expect(checkBasicAuth(basic('sendgridpassword'), EXPECTED)).toBe(false);
    expect(checkBasicAuth('Basic !!!not-base64!!!', EXPECTED)).toBe(false);
  });

  it('fails closed when no password is configured', () => {
    expect(checkBasicAuth(basic('sendgrid:'), { user: 'sendgrid', password: '' })).toBe(false);
  });
});

describe('verifySendGridSignature', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // What SendGrid shows for a security policy: base64 DER SubjectPublicKeyInfo, no PEM armour.
  const PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const NOW = Date.UTC(2025, 5, 3, 4, 43, 24);
  const TIMESTAMP = String(Math.floor(NOW / 1000));

  /** Signs like SendGrid: ECDSA P-256 / SHA-256 over timestamp + raw body, DER, base64. */
  const signPost = (payload: Buffer, timestamp = TIMESTAMP, key: KeyObject = privateKey) =>
    sign('sha256', Buffer.concat([Buffer.from(timestamp), payload]), key).toString('base64');

  const { body: PAYLOAD } = buildMultipart(
    { from: 'Dana <dana@prospect.example>', to: 'hello@acme-roofing.example', text: 'Quote please — été' },
    [
      {
        field: 'attachment1',
        filename: 'roof.jpg',
        contentType: 'image/jpeg',
        content: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x80, 0xfe]),
      },
    ],
  );
  const TEXT_PAYLOAD = Buffer.from('[{"email":"dana@prospect.example","event":"processed"}]');

  const verify = (overrides: Partial<Parameters<typeof verifySendGridSignature>[0]> = {}) =>
    verifySendGridSignature({
      publicKey: PUBLIC_KEY,
      payload: PAYLOAD,
      signature: signPost(PAYLOAD),
      timestamp: TIMESTAMP,
      now: NOW,
      ...overrides,
    });

  it('accepts a good signature over a body with binary attachments', () => {
    expect(verify()).toBe(true);
  });

  it('accepts the key in PEM form or as a KeyObject', () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verify({ publicKey: pem })).toBe(true);
    expect(verify({ publicKey: readSendGridPublicKey(PUBLIC_KEY) })).toBe(true);
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from(PAYLOAD);
    const at = tampered.length - 20;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
    expect(verify({ payload: tampered })).toBe(false);
  });

  it('refuses a signature made with another key', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(verify({ signature: signPost(PAYLOAD, TIMESTAMP, other) })).toBe(false);
  });

  it('refuses a signature whose timestamp header was swapped', () => {
    const later = String(Number(TIMESTAMP) + 5);
    expect(verify({ timestamp: later })).toBe(false);
  });

  it('refuses a missing or garbled signature or timestamp', () => {
    expect(verify({ signature: undefined })).toBe(false);
    expect(verify({ signature: '' })).toBe(false);
    expect(verify({ signature: 'bm90IGEgc2lnbmF0dXJl' })).toBe(false);
    expect(verify({ timestamp: undefined })).toBe(false);
    expect(verify({ timestamp: 'yesterday' })).toBe(false);
  });

  it('refuses a post signed more than ten minutes ago, and accepts one within', () => {
    const old = String(Number(TIMESTAMP) - 601);
    expect(verify({ timestamp: old, signature: signPost(PAYLOAD, old) })).toBe(false);
    const recent = String(Number(TIMESTAMP) - 599);
    expect(verify({ timestamp: recent, signature: signPost(PAYLOAD, recent) })).toBe(true);
  });

  it('refuses a timestamp too far in the future', () => {
    const ahead = String(Number(TIMESTAMP) + 601);
    expect(verify({ timestamp: ahead, signature: signPost(PAYLOAD, ahead) })).toBe(false);
  });

  it('takes a custom tolerance', () => {
    const old = String(Number(TIMESTAMP) - 3600);
    const signature = signPost(PAYLOAD, old);
    expect(verify({ timestamp: old, signature })).toBe(false);
    expect(verify({ timestamp: old, signature, toleranceSeconds: 7200 })).toBe(true);
  });

  it('throws on a key that is not an EC public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() =>
      verify({ publicKey: rsa.export({ format: 'der', type: 'spki' }).toString('base64') }),
    ).toThrow(/not EC/);
    expect(() => verify({ publicKey: 'not a key' })).toThrow();
  });

  it('agrees with @sendgrid/eventwebhook on a UTF-8 body', () => {
    const webhook = new eventwebhook.EventWebhook();
    const key = webhook.convertPublicKeyToECDSA(PUBLIC_KEY);
    const signature = signPost(TEXT_PAYLOAD);

    expect(webhook.verifySignature(key, TEXT_PAYLOAD, signature, TIMESTAMP)).toBe(true);
    expect(verify({ payload: TEXT_PAYLOAD, signature })).toBe(true);
  });

  it('verifies a binary body that @sendgrid/eventwebhook cannot, since it hashes the body as UTF-8 text', () => {
    const webhook = new eventwebhook.EventWebhook();
    const key = webhook.convertPublicKeyToECDSA(PUBLIC_KEY);

    expect(webhook.verifySignature(key, PAYLOAD, signPost(PAYLOAD), TIMESTAMP)).toBe(false);
    expect(verify()).toBe(true);
  });
});
