import { describe, expect, it } from 'vitest';
import {
  findEmailInText,
  findPhoneInText,
  leadIdForContact,
  maskContact,
  maskEmail,
  maskPhone,
  normaliseContact,
  normaliseEmail,
  normalisePhone,
  parseEmailAddress,
} from '#shared/domain/contact.ts';

describe('normalisePhone', () => {
  it.each([
    ['+15125550123', '+15125550123'],
    ['(512) 555-0123', '+15125550123'],
    ['512.555.0123', '+15125550123'],
    ['1-512-555-0123', '+15125550123'],
    [' 512 555 0123 ', '+15125550123'],
    ['tel:+15125550123', '+15125550123'],
    ['+44 7911 123456', '+447911123456'],
  ])('turns %s into %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('reads a national number in the given default country', () => {
    expect(normalisePhone('07911 123456', 'GB')).toBe('+447911123456');
  });

  it.each(['', 'call me', '555-0123', '12345', '+1 000 000 0000'])('rejects %j', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });
});

describe('parseEmailAddress', () => {
  it.each([
    ['jane@example.com', { address: 'jane@example.com' }],
    ['  Jane.Doe@Example.COM ', { address: 'jane.doe@example.com' }],
    ['Jane Doe <jane@example.com>', { address: 'jane@example.com', name: 'Jane Doe' }],
    // Directory order ("Last, First", Outlook/Exchange) is read as the person's name.
    ['"Doe, Jane" <Jane@Example.com>', { address: 'jane@example.com', name: 'Jane Doe' }],
    ['"sam@othermail.example" <sam@example.com>', { address: 'sam@example.com' }],
    ['=?utf-8?B?5byg5Lyf?= <zw@example.cn>', { address: 'zw@example.cn', name: '张伟' }],
    ['jane@example.com, "Bob" <bob@example.com>', { address: 'jane@example.com' }],
    ['"Jane \\"JD\\" Doe" <jd@example.com>', { address: 'jd@example.com', name: 'Jane "JD" Doe' }],
    ['<jane@example.com>', { address: 'jane@example.com' }],
    ['jane@example.com <jane@example.com>', { address: 'jane@example.com' }],
    ['jane@example.com (Jane Doe)', { address: 'jane@example.com', name: 'Jane Doe' }],
    ['mailto:jane+leads@example.co.uk', { address: 'jane+leads@example.co.uk' }],
  ])('parses %j', (raw, expected) => {
    expect(parseEmailAddress(raw)).toEqual(expected);
  });

  it.each([
    '',
    'Jane Doe',
    'jane@',
    '@example.com',
    'jane@localhost',
    'Jane <not an address>',
    'a b@example.com',
  ])('returns null for %j', (raw) => {
    expect(parseEmailAddress(raw)).toBeNull();
  });

  it('normaliseEmail keeps only the address', () => {
    expect(normaliseEmail('Jane <JANE@EXAMPLE.COM>')).toBe('jane@example.com');
    expect(normaliseEmail('nope')).toBeNull();
  });
});

describe('contacts in free text', () => {
  it('finds the first valid phone number in a message, ignoring ZIPs and prices', () => {
    expect(findPhoneInText('Budget $1,500, ZIP 78701. Call me at (512) 555-0199 after 5')).toBe(
      '+15125550199',
    );
    expect(findPhoneInText('ZIP 78701, budget $1500')).toBeNull();
  });

  it('finds the first email address in a message', () => {
    expect(findEmailInText('reach me at Jane.Doe@Example.com. thanks')).toBe('jane.doe@example.com');
    expect(findEmailInText('no address here @ all')).toBeNull();
  });

  it('normalises either kind of contact', () => {
    expect(normaliseContact('(512) 555-0123')).toEqual({ kind: 'phone', value: '+15125550123' });
    expect(normaliseContact('Jane <JANE@example.com>')).toEqual({ kind: 'email', value: 'jane@example.com' });
    expect(normaliseContact('hello')).toBeNull();
  });
});

describe('leadIdForContact', () => {
  it('derives a short stable id from the contact', () => {
    const id = leadIdForContact('+15125550123');
    expect(id).toMatch(/^ld_[0-9a-f]{20}$/);
    expect(leadIdForContact('+15125550123')).toBe(id);
  });

  it('gives the same lead for the same contact written differently', () => {
    expect(leadIdForContact('(512) 555-0123')).toBe(leadIdForContact('+15125550123'));
    expect(leadIdForContact('Jane@Example.com')).toBe(leadIdForContact('jane@example.com'));
  });

  it('gives different leads for different contacts', () => {
    expect(leadIdForContact('+15125550123')).not.toBe(leadIdForContact('+15125550124'));
    expect(leadIdForContact('jane@example.com')).not.toBe(leadIdForContact('john@example.com'));
  });
});

describe('masking for logs', () => {
  it.each([
    ['+15125550123', '+1512***0123'],
    ['+447911123456', '+4479***3456'],
    ['512-555-0123', '***23'],
    ['12', '***'],
  ])('masks phone %s as %s', (phone, expected) => {
    expect(maskPhone(phone)).toBe(expected);
  });

  it.each([
    ['jane.doe@x.com', 'j***@x.com'],
    ['a@example.org', 'a***@example.org'],
    ['not-an-email', '***'],
  ])('masks email %s as %s', (email, expected) => {
    expect(maskEmail(email)).toBe(expected);
  });

  it('masks whichever kind of contact it gets', () => {
    expect(maskContact('jane@x.com')).toBe('j***@x.com');
    expect(maskContact('+15125550123')).toBe('+1512***0123');
  });
});
