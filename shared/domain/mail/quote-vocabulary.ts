/**
 * Data: the words mail clients write around quoted history and under a reply, per language.
 * Read by `reply-text.ts`; a new client or language is an entry here, not code.
 *
 * Sources (the phrasing clients really produce, checked against their public fixture suites):
 * - Mailgun talon, `talon/quotations.py` (RE_ON_DATE_SMB_WROTE, RE_FROM_COLON_OR_DATE_COLON,
 *   RE_ORIGINAL_MESSAGE; en, fr, de, pl, nl, sv, no, da, fi, it, es, pt, cs, ru, hu…)
 *   https://github.com/mailgun/talon
 * - Crisp email-reply-parser, `lib/regex.js` (quote headers and mobile signatures in en, fr, de,
 *   es, it, pt, pl, nl, da, fi, ru, zh, ja, ko) https://github.com/crisp-oss/email-reply-parser
 * - GitHub email_reply_parser and willdurand/EmailReplyParser (PHP) test emails
 * - Localised Outlook, Gmail, Apple Mail and Thunderbird strings (each client's own UI text).
 */

/** Verbs that end an attribution line ("On <date>, <name> wrote:"), per language. */
export const WROTE_PHRASES: readonly string[] = [
  'wrote', // en
  'sent', // en (some Outlook for Mac and BlackBerry builds: "On …, Sam sent:")
  'a écrit', // fr
  'escribió', // es
  'ha escrit', // ca
  'va escriure', // ca
  'schrieb', // de
  'schreef', // nl
  'het volgende geschreven', // nl (Apple Mail, Outlook)
  'skrev', // sv, no, da
  'ha scritto', // it
  'scritto', // it ("In data …, … ha scritto")
  'escreveu', // pt
  'napisał', // pl
  'napisała', // pl
  'napisał(a)', // pl
  'pisze', // pl
  'napsal', // cs
  'napsala', // cs
  'napísal', // sk
  'написал', // ru
  'написала', // ru
  'написал(а)', // ru
  'написав', // uk
  'írta', // hu
  'kirjoitti', // fi
  'yazdı', // tr
  'έγραψε', // el
  'kaj skribis', // eo
  'idatzi zuen', // eu
  'đã viết', // vi
  'menulis', // id
  'rašė', // lt
  'rakstīja', // lv
  'kirjutas', // et
  'napisao', // hr, bs, sr
  'je napisal', // sl
  'написа', // bg, mk
  'a scris', // ro
  '写道', // zh
  '寫道', // zh-TW
  'のメッセージ', // ja
  '작성', // ko
  'כתב', // he
  'كتب', // ar
];

/** Words an attribution line starts with ("On", "Le", "Am"…), when it does not end in a verb of its own. */
export const ATTRIBUTION_OPENERS: readonly string[] = [
  'On',
  'Le',
  'El',
  'Am',
  'Op',
  'Den',
  'Il',
  'In data',
  'Em',
  'W dniu',
  'Dnia',
  'Dne',
  'Vào',
  'Pada',
  '在',
];

/** Header field names of a quoted message's header block (Outlook, forwarded mail), per language. */
export const HEADER_FIELDS = {
  from: [
    'From',
    'Von',
    'De',
    'Da',
    'Van',
    'Från',
    'Fra',
    'Frá',
    'Lähettäjä',
    'Od',
    'От',
    'Від',
    'Feladó',
    'Kimden',
    'Από',
    'Nuo',
    'No',
    'Saatja',
    'Pošiljatelj',
    'Pošiljalac',
    'Від кого',
    'Expéditeur',
    'Remitente',
    'Mittente',
    'Afzender',
    'Absender',
    'Avsändare',
    'Từ',
    'Dari',
    'Gönderen',
    'De la',
    '寄件者',
    '发件人',
    '發件人',
    '差出人',
    '보낸 사람',
    'מאת',
    'من',
  ],
  sent: [
    'Sent',
    'Date',
    'Gesendet',
    'Datum',
    'Envoyé',
    'Enviado',
    'Enviada',
    'Fecha',
    'Inviato',
    'Data',
    'Verzonden',
    'Verstuurd',
    'Skickat',
    'Sendt',
    'Dato',
    'Lähetetty',
    'Päivämäärä',
    'Wysłano',
    'Wysłane',
    'Odesláno',
    'Отправлено',
    'Дата',
    'Надіслано',
    'Elküldve',
    'Küldve',
    'Dátum',
    'Gönderildi',
    'Tarih',
    'Ημερομηνία',
    'Στάλθηκε',
    'Išsiųsta',
    'Saadetud',
    'Poslano',
    'Ngày gửi',
    'Đã gửi',
    'Dikirim',
    'Trimis',
    '送信日時',
    '日付',
    '发送时间',
    '日期',
    '寄件日期',
    '보낸 날짜',
    'נשלח',
    'التاريخ',
  ],
  to: [
    'To',
    'An',
    'À',
    'A',
    'Para',
    'Per',
    'Aan',
    'Till',
    'Til',
    'Vastaanottaja',
    'Do',
    'Кому',
    'Címzett',
    'Kime',
    'Προς',
    'Kam',
    'Kellele',
    'Za',
    'Komu',
    'Đến',
    'Kepada',
    'Către',
    '宛先',
    '收件人',
    '收件者',
    '받는 사람',
    'אל',
    'إلى',
  ],
  cc: ['Cc', 'CC', 'Kopie', 'Kopia', 'Kopio', 'Копия', 'Másolat', 'Bilgi', 'Kópia', 'Copie', 'Copia', '抄送'],
  subject: [
    'Subject',
    'Betreff',
    'Objet',
    'Asunto',
    'Assumpte',
    'Oggetto',
    'Assunto',
    'Onderwerp',
    'Ämne',
    'Emne',
    'Aihe',
    'Temat',
    'Předmět',
    'Predmet',
    'Тема',
    'Tárgy',
    'Konu',
    'Θέμα',
    'Tema',
    'Teema',
    'Chủ đề',
    'Perihal',
    'Subiect',
    '件名',
    '主题',
    '主旨',
    '제목',
    'נושא',
    'الموضوع',
  ],
} as const;

/** Separator lines that open a quoted message ("-----Original Message-----"), without their dashes. */
export const ORIGINAL_MESSAGE_SEPARATORS: readonly string[] = [
  'Original Message',
  'Oprindelig meddelelse',
  'Oprindelig besked',
  'Opprinnelig melding',
  'Ursprüngliche Nachricht',
  'Originalnachricht',
  'Message d’origine',
  "Message d'origine",
  'Mensaje original',
  'Missatge original',
  'Messaggio originale',
  'Mensagem original',
  'Oorspronkelijk bericht',
  'Origineel bericht',
  'Originalmeddelande',
  'Ursprungligt meddelande',
  'Alkuperäinen viesti',
  'Wiadomość oryginalna',
  'Oryginalna wiadomość',
  'Původní zpráva',
  'Pôvodná správa',
  'Исходное сообщение',
  'Оригінальне повідомлення',
  'Eredeti üzenet',
  'Özgün İleti',
  'Orijinal Mesaj',
  'Αρχικό μήνυμα',
  'Thư gốc',
  'Pesan Asli',
  '原始邮件',
  '原始郵件',
  '元のメッセージ',
  '원본 메시지',
];

/**
 * Lines that open a forwarded message: its contents are the lead's request too (kept), its
 * header block is not (third parties' addresses).
 */
export const FORWARD_MARKERS: readonly string[] = [
  'Forwarded message',
  'Forwarded Message',
  'Begin forwarded message',
  'Weitergeleitete Nachricht',
  'Anfang der weitergeleiteten Nachricht',
  'Message transféré',
  'Début du message réexpédié',
  'Début du message transféré',
  'Mensaje reenviado',
  'Inicio del mensaje reenviado',
  'Comienzo del mensaje reenviado',
  'Missatge reenviat',
  'Messaggio inoltrato',
  'Inizio messaggio inoltrato',
  'Mensagem encaminhada',
  'Início da mensagem reencaminhada',
  'Doorgestuurd bericht',
  'Begin doorgestuurd bericht',
  'Vidarebefordrat meddelande',
  'Vidarebefordrat brev',
  'Videresendt melding',
  'Videresendt meddelelse',
  'Videresendt besked',
  'Välitetty viesti',
  'Wiadomość przekazana',
  'Przekazana wiadomość',
  'Přeposlaná zpráva',
  'Пересылаемое сообщение',
  'Пересланное сообщение',
  'Переслане повідомлення',
  'Továbbított üzenet',
  'İletilen mesaj',
  'Προωθημένο μήνυμα',
  'Thư được chuyển tiếp',
  'Pesan yang diteruskan',
  '转发的邮件',
  '轉寄郵件',
  '転送されたメッセージ',
  '전달된 메시지',
];

/**
 * Lines a mail app adds under the reply ("Sent from my iPhone"): the phrase, then a device or app
 * name of a few words. Only a short line of its own counts; "Sent from my desk, is much easier…"
 * is the lead writing.
 */
export const MOBILE_SIGNATURE_OPENERS: readonly string[] = [
  'Sent from my',
  'Sent from',
  'Sent via',
  'Sent with',
  'Sent using',
  'Get Outlook for',
  'Envoyé de mon',
  'Envoyé depuis mon',
  'Envoyé depuis',
  'Envoyé à partir de',
  'Télécharger Outlook pour',
  'Von meinem',
  'Gesendet von meinem',
  'Gesendet von',
  'Outlook für',
  'Enviado desde mi',
  'Enviado desde',
  'Enviado do meu',
  'Enviado do',
  'Enviat des del meu',
  'Inviato da',
  'Inviato dal mio',
  'Verzonden met',
  'Verzonden vanaf',
  'Verstuurd vanaf mijn',
  'Verstuurd vanaf',
  'Skickat från min',
  'Skickat från',
  'Sendt fra min',
  'Sendt fra',
  'Wysłane z',
  'Wysłano z',
  'Odesláno z',
  'Отправлено с',
  'Отправлено из',
  'Надіслано з',
  'Lähetetty',
  'iPhoneから送信',
  'Küldve',
  'iPhone\u2019umdan gönderildi',
];

/** Suffixes a few languages put after the device ("Von meinem iPhone gesendet"). */
export const MOBILE_SIGNATURE_SUFFIXES: readonly string[] = [
  'gesendet',
  'verzonden',
  'lähetetty',
  'から送信',
];

/** Closing words before a name ("Thanks,\nTom") that end the lead's words. */
export const SIGN_OFFS: readonly string[] = [
  'thanks',
  'thank you',
  'many thanks',
  'thanks again',
  'thx',
  'best',
  'best regards',
  'kind regards',
  'warm regards',
  'regards',
  'cheers',
  'sincerely',
  'all the best',
  'take care',
  'saludos',
  'un saludo',
  'gracias',
  'cordialement',
  'bien à vous',
  'merci',
  'mit freundlichen grüßen',
  'viele grüße',
  'liebe grüße',
  'gruß',
  'grüße',
  'met vriendelijke groet',
  'groeten',
  'vriendelijke groet',
  'med vänliga hälsningar',
  'vänliga hälsningar',
  'hälsningar',
  'mvh',
  'tack',
  'distinti saluti',
  'cordiali saluti',
  'saluti',
  'atenciosamente',
  'obrigado',
  'obrigada',
];
