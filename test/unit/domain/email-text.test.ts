import { describe, expect, it } from 'vitest';
import { extractLeadText, htmlToText } from '#shared/domain/email-text.ts';

const gmail = `Tuesday at 10 works for me. The leak is getting worse.

On Mon, Nov 23, 2026 at 9:14 AM Brightside Plumbing <leads@brightside.example> wrote:

> Hi Jane, thanks for contacting Brightside Plumbing!
> We can set up a call at one of these times:
> 1. Mon Nov 23, 11:00 AM CST
`;

const gmailWrapped = `Second option please.

On Mon, Nov 23, 2026 at 9:14 AM Brightside Plumbing Customer Service Team <
leads@brightside.example> wrote:

> Hi Jane,
`;

const outlookDesktop = `Yes, please come Tuesday. The side gate is unlocked.

Thanks,
Jane Doe
Office Manager | Acme Dental
(512) 555-0123

________________________________
From: Brightside Plumbing <leads@brightside.example>
Sent: Monday, November 23, 2026 9:14 AM
To: Jane Doe <jane@acme.example>
Subject: Re: Leaking water heater

Hi Jane, thanks for contacting Brightside Plumbing!
`;

const outlookOriginalMessage = `Can you come Thursday morning instead?
-----Original Message-----
From: Brightside Plumbing [mailto:leads@brightside.example]
Sent: Monday, November 23, 2026 9:14 AM
To: Jane Doe
Subject: RE: Leak

Hi Jane`;

const iphone = `Option 2 please

Sent from my iPhone

> On Nov 23, 2026, at 9:14 AM, Brightside Plumbing <leads@brightside.example> wrote:
>
> Hi Jane, here are times for a call.
`;

const dashDashSignature = `My basement drain is backing up again, third time this month.

-- 
Jane Doe
Acme Dental | www.acme.example
`;

const outlookMobile = `Sounds good, see you then.

Get Outlook for iOS
________________________________
From: Brightside Plumbing <leads@brightside.example>
Sent: Monday, November 23, 2026 9:14:02 AM
`;

const regardsBlock = `Hello,

We need a quote to replace a 50 gallon water heater in our office.

Best regards,
Jane Doe
Acme Dental`;

const gmailHtml =
  '<div dir="ltr">Tuesday at 10 works.<div><br></div><div>The leak is under the kitchen sink.</div></div><br>' +
  '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 23, 2026 at 9:14 AM Brightside Plumbing &lt;' +
  '<a href="mailto:leads@brightside.example">leads@brightside.example</a>&gt; wrote:<br></div>' +
  '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">' +
  '<div dir="ltr">Hi Jane, thanks for contacting Brightside Plumbing!<blockquote>older</blockquote> still quoted</div></blockquote></div>';

const outlookHtml =
  '<html><head><style>p{margin:0}</style></head><body><div>Yes please, Tuesday is fine.</div>' +
  '<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">' +
  '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt"><b>From:</b> Brightside Plumbing ' +
  '&lt;leads@brightside.example&gt;<br><b>Sent:</b> Monday, November 23, 2026 9:14 AM<br><b>To:</b> Jane Doe<br>' +
  '<b>Subject:</b> Re: Leak</font><div>&nbsp;</div></div><div>Hi Jane, thanks for contacting us</div></body></html>';

describe('extractLeadText', () => {
  it.each([
    ['a Gmail reply', gmail, 'Tuesday at 10 works for me. The leak is getting worse.'],
    ['a Gmail reply with a wrapped attribution line', gmailWrapped, 'Second option please.'],
    [
      'an Outlook desktop reply with a signature block',
      outlookDesktop,
      'Yes, please come Tuesday. The side gate is unlocked.',
    ],
    ['an Outlook "Original Message" reply', outlookOriginalMessage, 'Can you come Thursday morning instead?'],
    ['an iPhone reply', iphone, 'Option 2 please'],
    [
      'a message with a "-- " signature',
      dashDashSignature,
      'My basement drain is backing up again, third time this month.',
    ],
    ['an Outlook mobile reply', outlookMobile, 'Sounds good, see you then.'],
    [
      'a first email with a sign-off block',
      regardsBlock,
      'Hello,\n\nWe need a quote to replace a 50 gallon water heater in our office.',
    ],
  ])("keeps only the lead's words from %s", (_label, text, expected) => {
    expect(extractLeadText({ text })).toBe(expected);
  });

  it('keeps a message that has nothing to strip, with its line breaks', () => {
    const text = 'Hi there,\nmy drain is clogged.\nFrom the kitchen it smells bad.\n\nCan you come tomorrow?';
    expect(extractLeadText({ text })).toBe(text);
  });

  it('keeps lines after "Thanks" that are not a signature', () => {
    const text = 'My sink is clogged.\nThanks\nalso can you check the water heater when you come?';
    expect(extractLeadText({ text })).toBe(text);
  });

  it('normalises Windows line endings', () => {
    expect(
      extractLeadText({
        text: 'Line one\r\nLine two\r\n\r\nOn Mon, Nov 23, 2026 at 9:14 AM X <x@y.z> wrote:\r\n> q',
      }),
    ).toBe('Line one\nLine two');
  });

  it('reads a Gmail HTML-only email and drops the quoted history', () => {
    expect(extractLeadText({ html: gmailHtml })).toBe(
      'Tuesday at 10 works.\n\nThe leak is under the kitchen sink.',
    );
  });

  it('reads an Outlook HTML-only email and drops the quoted history and styles', () => {
    expect(extractLeadText({ html: outlookHtml })).toBe('Yes please, Tuesday is fine.');
  });

  it('prefers the text part when both are given', () => {
    expect(extractLeadText({ text: 'From the text part', html: '<p>From the HTML part</p>' })).toBe(
      'From the text part',
    );
    expect(extractLeadText({ text: '   ', html: '<p>From the HTML part</p>' })).toBe('From the HTML part');
  });

  it('never throws and returns an empty string when there is nothing', () => {
    expect(extractLeadText({})).toBe('');
    expect(extractLeadText({ text: '' })).toBe('');
    expect(extractLeadText({ html: '<div><br></div>' })).toBe('');
    expect(() => extractLeadText({ text: `${'>'.repeat(50_000)}\n`.repeat(5) })).not.toThrow();
    expect(() => extractLeadText({ html: '<<<>>><div' })).not.toThrow();
  });

  it('finishes quickly on a very large email', () => {
    const started = Date.now();
    extractLeadText({ text: `${'word '.repeat(20)}\n`.repeat(20_000) });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('htmlToText', () => {
  it('keeps line breaks for block elements and drops tags, head, styles and scripts', () => {
    expect(
      htmlToText(
        '<html><head><title>T</title><style>.a{}</style></head><body><p>One</p><p>Two<br/>Three</p><script>x()</script><div>Four <b>bold</b></div></body></html>',
      ),
    ).toBe('One\n\nTwo\nThree\n\nFour bold');
  });

  it('drops HTML comments', () => {
    expect(htmlToText('<p>Visible<!-- <p>hidden</p> --></p>')).toBe('Visible');
  });
});

describe('htmlToText entities', () => {
  it('decodes named and numeric entities as a browser does', () => {
    expect(htmlToText('Tom &amp; Jerry&#39;s &lt;pipe&gt; &quot;ok&quot; &#x41;&#66; &euro;5 &frac12;')).toBe(
      'Tom & Jerry\'s <pipe> "ok" AB €5 ½',
    );
  });
});
