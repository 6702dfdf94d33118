/** Hand-built MIME for tests: what real mail looks like, including the broken kinds. */

export function eightBitMessage(charset: string, body: Buffer, subject = 'Test'): Buffer {
  return Buffer.concat([
    Buffer.from(
      [
        'From: sender@example.org',
        'To: bob@kin.lokole.ca',
        `Subject: ${subject}`,
        'Date: Tue, 1 Dec 2026 10:20:30 +0000',
        'MIME-Version: 1.0',
        `Content-Type: text/plain; charset=${charset}`,
        'Content-Transfer-Encoding: 8bit',
        '',
        '',
      ].join('\r\n'),
      'latin1',
    ),
    body,
    Buffer.from('\r\n'),
  ]);
}

export function htmlWithInlineImage(): string {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  return [
    'From: "Ana" <Ana@Example.org>',
    'To: bob@kin.lokole.ca, "Carol" <carol@other.lokole.ca>',
    'Cc: dan@example.net',
    'Subject: =?utf-8?B?TWLDqHRlIG1pbmEgbWFsYW11?=',
    'Date: Tue, 1 Dec 2026 10:20:30 +0100',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="rel"',
    '',
    '--rel',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p onclick="steal()">Hi <img src="cid:logo@x"><script>alert(1)</script><a href="javascript:x()">link</a></p>',
    '--rel',
    'Content-Type: image/png; name="logo.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <logo@x>',
    'Content-Disposition: inline; filename="logo.png"',
    '',
    png.toString('base64'),
    '--rel',
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="report.pdf"',
    '',
    Buffer.from('%PDF-1.4 fake').toString('base64'),
    '--rel--',
    '',
  ].join('\r\n');
}
