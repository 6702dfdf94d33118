import test from 'ava';
import {
  htmlToText,
  parseAddressList,
  rewriteCidLinks,
  sanitizeEmailHtml,
  textToHtml,
  toMatchExpression,
} from '../../src/mail/index.js';

test('sanitising removes scripts, handlers, javascript: links, forms, iframes and style blocks', (t) => {
  const html = sanitizeEmailHtml(
    '<style>p{}</style><script>x()</script><p onclick="x()" style="color:red">Hi <a href="javascript:x()">a</a> <a href="https://ok.org">b</a></p><iframe src="https://e.vil"></iframe><form><input></form><img src="cid:logo" onerror="x()"><svg><script>x()</script></svg><math><mi>x</mi></math>',
  );
  t.is(
    html,
    '<p style="color:red">Hi <a target="_blank">a</a> <a href="https://ok.org" target="_blank">b</a></p><img src="cid:logo" />x',
  );
});

test('text and HTML convert both ways for quoting and the plain textarea', (t) => {
  t.is(textToHtml('Hello <you>\nline two\n\nNext'), '<p>Hello &#60;you&#62;<br>line two</p>\n<p>Next</p>');
  t.is(htmlToText('<p>One &amp; two</p><p>Three<br>four</p>'), 'One & two\nThree\nfour');
});

test('cid: images are pointed at a route of the device', (t) => {
  t.is(
    rewriteCidLinks('<img src="cid:a%40b" alt="x">', (cid) => `/c/${cid}`),
    '<img src="/c/a@b" alt="x">',
  );
});

test('address lists are split on commas, semicolons and spaces; bad ones are named', (t) => {
  t.deepEqual(parseAddressList('A@x.org; b@y.org  Ana <c@z.org>, bad@, a@x.org'), {
    addresses: ['a@x.org', 'b@y.org', 'c@z.org'],
    invalid: ['Ana', 'bad@'],
  });
});

test('search words become quoted prefix terms', (t) => {
  t.is(toMatchExpression('réunion "du" NEAR(x'), '"réunion"* "du"* "NEAR"* "x"*');
  t.is(toMatchExpression(' ** '), undefined);
});
