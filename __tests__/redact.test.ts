// Redaction is for honest echoes (SECURITY.md): an error page, a gateway, a proxy or GitHub's API
// repeating what it was sent. Each form in the threat model is tested here at the redaction
// boundary; remote-text.e2e.test.ts tests each channel through the bundle.

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MIN_FRAGMENT, Redactor } from '../src/redact.js';

const KEY = 'na1.ingestKeyAbCdEf0123456789xyzQ';
const OTHER = 'eu1.privacyKeyZyXw9876543210mnopR';
const TOKEN = 'ghs_TokenOfThisRun1234567890abcdefABCD';
const redactor = new Redactor([
  { value: KEY, label: 'na1 …xyzQ' },
  { value: OTHER, label: 'eu1 …nopR' },
  { value: TOKEN, label: 'github-token' }
]);
const entity = (c: string) => `&#x${c.charCodeAt(0).toString(16)};`;

describe('Redactor, on the echoes of the threat model', () => {
  it.each([
    ['verbatim', `bad key ${KEY}!`, 'bad key [redacted: na1 …xyzQ]!'],
    ['in another case', KEY.toUpperCase(), '[redacted: na1 …xyzQ]'],
    ['without its realm', KEY.slice(4), '[redacted: na1 …xyzQ]'],
    ['as its first 8 characters', `bad key ${KEY.slice(0, 8)}…`, 'bad key [redacted: na1 …xyzQ]…'],
    ['as 8 characters from its middle', `…${KEY.slice(13, 21)}…`, '…[redacted: na1 …xyzQ]…'],
    ['as a header', `Authorization: Basic ${KEY}`, 'Authorization: Basic [redacted: na1 …xyzQ]'],
    ['twice', `${KEY} and ${KEY}`, '[redacted: na1 …xyzQ] and [redacted: na1 …xyzQ]'],
    ['the GitHub token', `token ${TOKEN} refused`, 'token [redacted: github-token] refused'],
    ['JSON-escaped', KEY.replace(/[a-f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`), '[redacted: na1 …xyzQ]'],
    ['JSON-escaped with \\/', `${KEY.slice(0, 10)}\\/`.replace('.', '\\.'), '[redacted: na1 …xyzQ]\\/'],
    ['percent-encoded', `?k=${KEY.replace('.', '%2E')}&x`, '?k=[redacted: na1 …xyzQ]&x'],
    [
      'percent-encoded throughout',
      [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
      '[redacted: na1 …xyzQ]'
    ],
    ['as HTML numeric entities', `${KEY.replace(/[a-z]/g, entity)}!`, '[redacted: na1 …xyzQ]!'],
    ['as decimal entities', KEY.replace(/[0-9]/g, (c) => `&#${c.charCodeAt(0)};`), '[redacted: na1 …xyzQ]'],
    [
      'as hex entities with a capital X',
      KEY.replace(/[a-z]/g, (c) => `&#X${c.charCodeAt(0).toString(16).toUpperCase()};`),
      '[redacted: na1 …xyzQ]'
    ],
    [
      'as zero-padded decimal entities',
      KEY.replace(/[a-z]/g, (c) => `&#${String(c.charCodeAt(0)).padStart(7, '0')};`),
      '[redacted: na1 …xyzQ]'
    ],
    ['as named entities', KEY.replace('.', '&period;'), '[redacted: na1 …xyzQ]'],
    ['with Markdown escapes', KEY.replace(/[.]/g, '\\.'), '[redacted: na1 …xyzQ]'],
    // What is left around it encodes the bytes next to the key (`:`, `user:`) with bits of its edges.
    ['as base64', `Basic ${Buffer.from(KEY).toString('base64')}`, 'Basic [redacted: na1 …xyzQ]'],
    ['as base64 of Basic {key}', Buffer.from(`Basic ${KEY}`).toString('base64'), 'QmFzaWMg[redacted: na1 …xyzQ]'],
    ['as base64 of key:', `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`, 'Basic [redacted: na1 …xyzQ]Og=='],
    [
      'percent-encoded after characters an entity writes as two UTF-16 units',
      `${'&#x1F600;'.repeat(12)} ${[...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')} end`,
      `${'&#x1F600;'.repeat(12)} [redacted: na1 …xyzQ] end`
    ],
    [
      'percent-encoded after a backslash',
      `path\\${[...KEY.slice(4, 12)].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')} end`,
      'path\\[redacted: na1 …xyzQ] end'
    ],
    [
      'as HTML entities after a backslash',
      `x\\${[...KEY.slice(4, 12)].map((c) => `&#${c.charCodeAt(0)};`).join('')}`,
      'x\\[redacted: na1 …xyzQ]'
    ],
    ['after a hex entity past the last code point', `&#x110000; ${KEY}`, '&#x110000; [redacted: na1 …xyzQ]'],
    [
      'as base64url after other bytes',
      `x=${Buffer.from(`user:${KEY}`).toString('base64url')}`,
      'x=dXNlcjp[redacted: na1 …xyzQ]E'
    ]
  ])('takes out a key echoed %s', (_how, text, redacted) => {
    expect(redactor.redact(text)).toBe(redacted);
  });

  it('takes out a secret shorter than 8 whole (a short email), though never a piece of one', () => {
    const short = new Redactor([{ value: 'a@b.com', label: 'email' }]);
    expect(short.redact('by a@b.com, at A@B.COM')).toBe('by [redacted: email], at [redacted: email]');
    expect(short.redact('a@b.co')).toBe('a@b.co');
  });

  it('leaves 7 characters in a row alone: the report itself shows a realm and the last 4', () => {
    expect(redactor.redact(`…${KEY.slice(13, 20)}…`)).toBe(`…${KEY.slice(13, 20)}…`);
    expect(MIN_FRAGMENT).toBe(8);
  });

  it('does not try to see through a disguise chosen by a server that holds the key (out of scope)', () => {
    const one = new Redactor([{ value: KEY, label: 'na1 …xyzQ' }]);
    for (const disguised of [[...KEY].reverse().join(''), [...KEY].join(' '), Buffer.from(KEY).toString('hex')]) {
      expect(one.redact(disguised)).toBe(disguised);
    }
  });

  it("reads a batch of 1,000 realistic keys without redacting one key's label as another key", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z0-9+/]{48}$/), { minLength: 1000, maxLength: 1000 }),
        (bodies) => {
          const keys = bodies.map((body) => `na1.${body}`);
          const label = (key: string) => `na1 …${key.slice(-4)}`;
          const batch = new Redactor(keys.map((value) => ({ value, label: label(value) })));
          const text = keys.map((key, i) => `Key FS_KEY_${i} (${label(key)}) has role "USER".`).join('\n');
          expect(batch.redact(text)).toBe(text);
        }
      ),
      { seed: 7, numRuns: 5, endOnFailure: true }
    );
  });

  it('changes nothing it redacted already', () => {
    const once = redactor.redact(`a ${KEY} b ${OTHER.slice(0, 20)} c ${TOKEN}`);
    expect(once).toBe('a [redacted: na1 …xyzQ] b [redacted: eu1 …nopR] c [redacted: github-token]');
    expect(redactor.redact(once)).toBe(once);
  });

  it('labels each key by its own label, even where keys share pieces', () => {
    const shared = new Redactor([
      { value: 'na1.demoStandardKey000000001', label: 'A' },
      { value: 'na1.demoArchitectKey00000002', label: 'B' }
    ]);
    expect(shared.redact('na1.demoArchitectKey00000002')).toBe('[redacted: B]');
    expect(shared.redact('x na1.demoStandardKey000000001 y')).toBe('x [redacted: A] y');
  });

  it('leaves text without a piece of any secret alone', () => {
    for (const text of [
      'USER',
      'ARCHITECT',
      'o-1G1-na1',
      'daniel@falko.com',
      'The API key could not be verified.',
      ''
    ]) {
      expect(redactor.redact(text)).toBe(text);
    }
  });

  it('takes a secret shorter than a piece out whole (a creator’s email)', () => {
    expect(new Redactor([{ value: 'k3y@x.io', label: 'short' }]).redact('a K3Y@X.IO, k3y%40x.io')).toBe(
      'a [redacted: short], [redacted: short]'
    );
  });

  it('reads a character percent-encoded as its UTF-8 bytes, and named entities for @ and :', () => {
    const email = new Redactor([{ value: 'jürgen.müller@firma.de', label: 'email' }]);
    expect(email.redact(`role=${encodeURIComponent('jürgen.müller@firma.de')}`)).toBe('role=[redacted: email]');
    expect(email.redact('j%C3%BC%C3')).toBe('j%C3%BC%C3');
    const short = new Redactor([{ value: 'k3y@x.io', label: 'short' }]);
    expect(short.redact('k3y&commat;x.io')).toBe('[redacted: short]');
    const token = new Redactor([{ value: 'ghs_ab:cd&ef_gh', label: 't' }]);
    expect(token.redact('ghs&lowbar;ab&colon;cd&AMP;ef_gh')).toBe('[redacted: t]');
  });

  it('reads \\% and \\& both as Markdown escapes and as a backslash before an escape', () => {
    const password = new Redactor([{ value: 'jdoe:50%off&Ever', label: 'proxy' }]);
    expect(password.redact('user jdoe\\:50\\%off\\&Ever refused')).toBe('user [redacted: proxy] refused');
    expect(password.redact('50\\%off\\&E')).toBe('[redacted: proxy]');
    expect(password.redact('x\\%30%25%6f%66%66%26%45%76 y')).toBe('x\\[redacted: proxy] y');
  });

  it('does nothing without secrets', () => {
    expect(new Redactor([{ value: '', label: 'none' }]).redact(KEY)).toBe(KEY);
  });

  it('leaves no 8 characters in a row of any secret in any text of slices, escapes and case (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9._+/=-]{16,48}$/);
    const escapes = [
      (c: string) => c,
      (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
      (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      entity
    ];
    fc.assert(
      fc.property(
        fc.array(secret, { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat(),
            fc.nat(),
            // Filler, or an entity that decodes to two UTF-16 units (an emoji)
            fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('&#x1F600;', '&#128512;')),
            fc.boolean(),
            fc.nat(3)
          ),
          { maxLength: 6 }
        ),
        (secrets, cuts) => {
          const text = cuts
            .map(([which, from, length, filler, upper, escape]) => {
              const value = secrets[which % secrets.length]!;
              const start = from % value.length;
              const slice = value.slice(start, start + MIN_FRAGMENT + (length % value.length));
              return `${filler}${[...(upper ? slice.toUpperCase() : slice)].map(escapes[escape]!).join('')}`;
            })
            .join('');
          // What is left between redactions, each part decoded and read on its own.
          const out = new Redactor(secrets.map((value, i) => ({ value, label: `#${i}` })))
            .redact(text)
            .split(/\[redacted: #\d+\]/)
            .map((part) =>
              decodeURIComponentSafe(
                part
                  .replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
                  .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
              ).toLowerCase()
            );
          for (const value of secrets.map((one) => one.toLowerCase())) {
            for (let i = 0; i + MIN_FRAGMENT <= value.length; i += 1) {
              for (const part of out) expect(part).not.toContain(value.slice(i, i + MIN_FRAGMENT));
            }
          }
        }
      ),
      { seed: 42, numRuns: 300 }
    );
  });
});

/** %XX decoded where it is one; the rest as it is. */
function decodeURIComponentSafe(text: string): string {
  return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
