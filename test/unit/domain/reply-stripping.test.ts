import { describe, expect, it } from 'vitest';
import { extractLeadText } from '#shared/domain/email-text.ts';
import { decodeFlowed } from '#shared/domain/mail/flowed-text.ts';
import { CLIENTS, LANGUAGES, replyLayout } from '../../fixtures/mail/reply-layouts.ts';

/*
 * Quote headers, signatures and forwards as real clients write them. Each case is written for
 * Leadline; the shapes follow the fixture suites of Mailgun talon (tests/fixtures, test_quotations.py),
 * Crisp email-reply-parser (test/fixtures/email_*.txt), GitHub email_reply_parser (test/emails) and
 * willdurand/EmailReplyParser (tests/Fixtures), and the issue's own examples (issue 10).
 */

const OFFER = [
  'Hi Sam, here are three times for your estimate visit:',
  '1. Wed Mar 4, 9:00 AM CST',
  '2. Wed Mar 4, 11:00 AM CST',
  '3. Thu Mar 5, 2:00 PM CST',
  'Reply with 1, 2 or 3.',
].join('\n');

const quoted = (header: string) => `2\n\n${header}\n\n> ${OFFER.split('\n').join('\n> ')}\n`;
const unquoted = (header: string) => `2\n\n${header}\n\n${OFFER}\n`;

describe('quote headers in many languages', () => {
  it.each([
    ['sv/no/da Apple Mail', quoted('Den 3 mars 2026 kl. 10:15 skrev Anna Berg <anna@example.se>:')],
    [
      'nl Apple Mail',
      quoted('Op 3 mrt. 2026, om 10:15 heeft Jan de Vries <jan@example.nl> het volgende geschreven:'),
    ],
    ['ca Gmail', quoted('El dc., 3 de març 2026 a les 10:15, Anna Puig (<anna@example.cat>) ha escrit:')],
    ['hu Gmail', quoted('Anna Kovács <anna@example.hu> ezt írta (időpont: 2026. márc. 3., K 10:15):')],
    ['hu Gmail (date first)', quoted('2026. márc. 3. 10:15 keltezéssel, Anna <anna@example.hu> írta:')],
    ['uk Gmail', quoted('вт, 3 бер. 2026 р. о 10:15 Anna <anna@example.ua> написав:')],
    ['ru Gmail', quoted('вт, 3 мар. 2026 г. в 10:15, Анна <anna@example.ru>:')],
    ['vi Gmail', quoted('Vào Th 3, 3 thg 3, 2026 vào lúc 10:15 Anna <anna@example.vn> đã viết:')],
    ['pl Gmail', quoted('wt., 3 mar 2026 o 10:15 Anna Nowak <anna@example.pl> napisał(a):')],
    ['cs Gmail', quoted('út 3. 3. 2026 v 10:15 odesílatel Anna <anna@example.cz> napsal:')],
    ['it Gmail', quoted('Il giorno mar 3 mar 2026 alle ore 10:15 Anna <anna@example.it> ha scritto:')],
    ['pt Gmail', quoted('Em ter., 3 de mar. de 2026 às 10:15, Anna <anna@example.pt> escreveu:')],
    ['fi Gmail', quoted('ti 3. maalisk. 2026 klo 10.15 Anna <anna@example.fi> kirjoitti:')],
    ['tr Gmail', quoted('Anna <anna@example.com.tr>, 3 Mar 2026 Sal, 10:15 tarihinde şunu yazdı:')],
    ['ja Gmail', quoted('2026年3月3日(火) 10:15 Anna <anna@example.jp>:')],
    ['zh Gmail', quoted('Anna <anna@example.cn> 于2026年3月3日周二 10:15写道：')],
    ['ko Gmail', quoted('2026년 3월 3일 (화) 오전 10:15, Anna <anna@example.kr>님이 작성:')],
    ['Gmail, one-digit hour', quoted('2026-11-29 5:33 GMT-06:00 Sam Lee <sam@example.com>:')],
    ['Gmail, one-digit hour, unquoted', unquoted('2026-11-29 5:33 GMT-06:00 Sam Lee <sam@example.com>:')],
    ['en header over three lines', quoted('On Nov 21, 2026,\nat 10:18,\nSam Lee <sam@example.com> wrote:')],
    [
      'en header over three lines, unquoted',
      unquoted('On Nov 21, 2026,\nat 10:18,\nSam Lee <sam@example.com> wrote:'),
    ],
    ['dashed attribution', unquoted('---- Sam Lee wrote ----')],
    ['"sent" attribution', unquoted('On Tue, Mar 3, 2026 at 10:15 AM, Sam Lee <sam@example.com> sent:')],
    ['fr Thunderbird', unquoted('Le 03/03/2026 à 10:15, Sam Lee a écrit :')],
    [
      'es Outlook original message',
      unquoted('-----Mensaje original-----\nDe: Sam <sam@example.com>\nEnviado el: martes'),
    ],
  ])('%s: keeps only "2"', (_name, text) => {
    expect(extractLeadText({ text })).toBe('2');
  });

  it.each([
    [
      'de',
      [
        'Von: Brightside <hello@leadline.example>',
        'Gesendet: Dienstag, 3. März 2026 10:15',
        'An: Sam',
        'Betreff: Termin',
      ],
    ],
    [
      'da',
      ['Fra: Brightside <hello@leadline.example>', 'Sendt: 3. marts 2026 10:15', 'Til: Sam', 'Emne: Tid'],
    ],
    [
      'sv',
      [
        'Från: Brightside <hello@leadline.example>',
        'Skickat: den 3 mars 2026 10:15',
        'Till: Sam',
        'Ämne: Tid',
      ],
    ],
    [
      'ru',
      [
        'От: Brightside <hello@leadline.example>',
        'Отправлено: 3 марта 2026 г. 10:15',
        'Кому: Sam',
        'Тема: Время',
      ],
    ],
    [
      'fi',
      [
        'Lähettäjä: Brightside <hello@leadline.example>',
        'Lähetetty: 3. maaliskuuta 2026 10.15',
        'Vastaanottaja: Sam',
        'Aihe: Aika',
      ],
    ],
    [
      'it',
      [
        'Da: Brightside <hello@leadline.example>',
        'Inviato: martedì 3 marzo 2026 10:15',
        'A: Sam',
        'Oggetto: Orario',
      ],
    ],
    [
      'pl',
      [
        'Od: Brightside <hello@leadline.example>',
        'Wysłano: wtorek, 3 marca 2026 10:15',
        'Do: Sam',
        'Temat: Termin',
      ],
    ],
    [
      'tr',
      [
        'Kimden: Brightside <hello@leadline.example>',
        'Gönderildi: 3 Mart 2026 Salı 10:15',
        'Kime: Sam',
        'Konu: Saat',
      ],
    ],
  ])('%s Outlook header block: keeps only "2"', (_language, block) => {
    expect(extractLeadText({ text: unquoted(block.join('\n')) })).toBe('2');
    expect(
      extractLeadText({ text: unquoted(['________________________________', ...block].join('\n')) }),
    ).toBe('2');
  });
});

describe('slot choice by reply, from every client layout', () => {
  for (const client of CLIENTS) {
    for (const language of LANGUAGES) {
      it(`${client} in ${language}: the lead's "2" is all that is left`, () => {
        const layout = replyLayout(client, language, '2', OFFER, {
          lead: 'Sam Lee <sam@example.com>',
          subject: 'Re: Your estimate',
        });
        const text = layout.raw
          ? decodeFlowed(layout.raw.slice(layout.raw.indexOf('\r\n\r\n') + 4))
          : (layout.text ?? '');
        expect(extractLeadText({ text })).toBe('2');
        if (layout.html) expect(extractLeadText({ html: layout.html })).toBe('2');
      });
    }
  }
});

describe("the lead's own words are kept", () => {
  it('keeps a sentence that starts like a mobile footer', () => {
    const text = 'Sent from my desk, is much easier than my phone.\nCan you come Tuesday?';
    expect(extractLeadText({ text })).toBe(text);
  });

  it('keeps everything after a markdown rule', () => {
    const text = 'Here is what I need:\n\n----\n\n- replace the water heater\n- fix the kitchen tap';
    expect(extractLeadText({ text })).toBe(text);
  });

  it('keeps a request the lead forwarded, without its header block', () => {
    const text = [
      'FYI',
      '',
      '---------- Forwarded message ---------',
      'From: Pat Kim <pat@example.org>',
      'Date: Mon, Nov 23, 2026 at 9:14 AM',
      'Subject: Leak at the rental',
      'To: Sam Lee <sam@example.com>',
      '',
      'The kitchen sink at 12 Oak St is leaking again, can your plumber come this week?',
      '',
      'On Sun, Nov 22, 2026 at 8:00 PM Sam Lee <sam@example.com> wrote:',
      '> Let me know if anything breaks.',
    ].join('\n');
    expect(extractLeadText({ text })).toBe(
      'FYI\n\nThe kitchen sink at 12 Oak St is leaking again, can your plumber come this week?',
    );
  });

  it('keeps an Outlook forward (subject "FW:") without the third party\'s addresses', () => {
    const text = [
      'See below',
      '',
      '________________________________',
      'From: Pat Kim <pat@example.org>',
      'Sent: Monday, November 23, 2026 9:14 AM',
      'To: Sam Lee <sam@example.com>',
      'Subject: Leak at the rental',
      '',
      'Water under the sink again.',
    ].join('\n');
    expect(extractLeadText({ text, subject: 'FW: Leak at the rental' })).toBe(
      'See below\n\nWater under the sink again.',
    );
  });

  it('keeps a German Apple Mail forward', () => {
    const text = [
      'Bitte um Rückruf.',
      '',
      'Anfang der weitergeleiteten Nachricht:',
      '',
      'Von: Pat <pat@example.de>',
      'Betreff: Wasserschaden',
      'Datum: 3. März 2026 um 10:15:00 MEZ',
      'An: Sam <sam@example.de>',
      '',
      'Im Keller steht Wasser.',
    ].join('\n');
    expect(extractLeadText({ text })).toBe('Bitte um Rückruf.\n\nIm Keller steht Wasser.');
  });

  it('keeps a reply written under the quote (bottom-posting)', () => {
    const text =
      'On Tue, Mar 3, 2026 at 10:15 AM Brightside <hello@leadline.example> wrote:\n> Which time?\n\nThe second one.';
    expect(extractLeadText({ text })).toBe('The second one.');
  });

  it('keeps a line that merely mentions who wrote', () => {
    const text = 'On Tuesday the inspector wrote:\nthe pipe needs replacing. Can you quote it?';
    expect(extractLeadText({ text })).toBe(text);
  });

  it.each([
    ['Enviado desde mi iPhone'],
    ['Von meinem iPhone gesendet'],
    ['Envoyé de mon iPhone'],
    ['Skickat från min iPhone'],
    ['Verstuurd vanaf mijn iPhone'],
    ['Get Outlook for Android<https://aka.ms/AAb9ysg>'],
  ])('drops the mobile footer "%s"', (footer) => {
    expect(extractLeadText({ text: `Can you come at 9?\n\n${footer}` })).toBe('Can you come at 9?');
  });
});

describe('HTML-only mail', () => {
  it('keeps no doctype, XML declaration, conditional comment or style', () => {
    const html =
      '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" ' +
      '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">' +
      '<head><title>Message</title><style>p{color:red}</style><!--[if mso]><xml><o:OfficeDocumentSettings/></xml><![endif]--></head>' +
      '<body><p>Our basement drain is backing up &mdash; can you come today?</p><p>Thanks,<br>Dana</p></body></html>';
    expect(extractLeadText({ html })).toBe('Our basement drain is backing up — can you come today?');
  });

  it('reads lists, line breaks and tables as lines', () => {
    const html =
      '<div>We need:<ul><li>a new tap</li><li>a drain check</li></ul></div><table><tr><td>Town:</td><td>Austin</td></tr></table>';
    expect(extractLeadText({ html })).toBe('We need:\n- a new tap\n- a drain check\nTown: Austin');
  });

  it('drops an Apple Mail blockquote and its header', () => {
    const html =
      '<html><body><div>2</div><div><br><blockquote type="cite"><div>Den 3 mars 2026 kl. 10:15 skrev Anna &lt;anna@example.se&gt;:</div>' +
      '<br><div>1. Tis 9:00</div><div>2. Ons 10:00</div></blockquote></div></body></html>';
    expect(extractLeadText({ html })).toBe('2');
  });
});
