import { describe, expect, it } from '@jest/globals';
import {
  MAX_KEPT_LENGTH,
  asMarkdown,
  asTerminalCell,
  asText,
  forOutput,
  jsonLine,
  kept,
  message,
  q,
  quote
} from '../src/text.js';
import { renderGfm } from './helpers/gfm.js';

/** Values that come alive somewhere if they are not kept as values. */
const HOSTILE = [
  'https://evil.example/phish',
  'www.evil.example',
  'see #2, acme/web#1 and GH-3',
  'fixed in 0123456789abcdef0123456789abcdef01234567',
  '~~struck~~ and ~one~',
  '$x^2$ and $$y$$',
  ':rocket: :+1:',
  '@octocat and @acme/security',
  '<img src=x onerror=alert(1)> <script>alert(1)</script>',
  '**bold** _em_ [link](https://evil.example) ![img](https://evil.example/i.png)',
  'a|b || c \\| d',
  '`tick` ``double`` `',
  'ADMIN`',
  '`ADMIN',
  '&amp; &lt;b&gt; &#64;',
  'back\\slash \\* \\_',
  '- [ ] task',
  '> quote',
  '# heading'
];

describe('quote', () => {
  it('keeps whitespace visible, and a value on one line', () => {
    expect(quote(' USER')).toBe('" USER"');
    expect(quote('USER\n::error::x')).toBe('"USER\\n::error::x"');
    expect(quote('')).toBe('""');
  });

  it('escapes what JSON leaves raw: DEL, C1 controls, separators and bidirectional overrides', () => {
    const text = quote('a\u007fb\u0085c\u009bd\u2028e\u202ef\u2066g');
    expect(text).toBe('"a\\u007fb\\u0085c\\u009bd\\u2028e\\u202ef\\u2066g"');
    // A paragraph separator JSON leaves raw, and a blank that shows as nothing.
    expect(quote('a\u2029b\u2800c')).toBe('"a\\u2029b\\u2800c"');
  });

  it('cuts a long value with an ellipsis', () => {
    expect(quote('x'.repeat(300))).toBe(`"${'x'.repeat(199)}…"`);
    expect(quote('x'.repeat(200))).toBe(`"${'x'.repeat(200)}"`);
  });

  it('counts an escaped character as long as its escape, so no value is shown longer than 200', () => {
    // Tag characters are invisible, and each is shown as two \u escapes: 12 characters.
    const shown = quote('\u{e0001}'.repeat(250));
    expect(shown).toBe(`"${'\\udb40\\udc01'.repeat(16)}…"`);
    expect(shown.length).toBeLessThanOrEqual(200 + 2);
  });

  it('counts a quote or a backslash as the two characters JSON shows', () => {
    for (const c of ['"', '\\']) {
      const shown = quote(c.repeat(400));
      expect(shown.length).toBeLessThanOrEqual(200 + 2);
      expect(shown).toBe(JSON.stringify(`${c.repeat(99)}…`));
    }
  });

  it('escapes the default-ignorable characters that render as nothing', () => {
    expect(quote('USER\u034f\ufe00\u17b4\u{e0002}')).toBe('"USER\\u034f\\ufe00\\u17b4\\udb40\\udc02"');
  });
});

describe('q', () => {
  it('keeps at most MAX_KEPT_LENGTH characters of a value, so no channel works on 64 KiB of it', () => {
    expect(q('y'.repeat(100_000)).value).toBe(`${'y'.repeat(MAX_KEPT_LENGTH)}…`);
    expect(q('y'.repeat(MAX_KEPT_LENGTH)).value).toBe('y'.repeat(MAX_KEPT_LENGTH));
  });
});

describe('asText', () => {
  it('quotes values and leaves prose as it is', () => {
    expect(asText(message`the role is ${q('VIEW_ONLY')} (HTTP ${200})`)).toBe('the role is "VIEW_ONLY" (HTTP 200)');
  });

  it('never lets prose break a line either', () => {
    expect(asText(['a\nb\r\u2028c'])).toBe('a b  c');
  });

  it('flattens nested messages in order', () => {
    const inner = message`inner ${q('v')}`;
    expect(asText(message`outer: ${inner}.`)).toBe('outer: inner "v".');
  });
});

describe('forOutput', () => {
  it('cuts a value from the network to 64 characters in an output, the last an ellipsis', () => {
    expect(forOutput('R'.repeat(64))).toBe('R'.repeat(64));
    expect(forOutput('R'.repeat(65))).toBe(`${'R'.repeat(63)}…`);
  });
});

describe('asTerminalCell', () => {
  it('shows a plain value bare, and anything else quoted', () => {
    expect(asTerminalCell([q('ADMIN')])).toBe('ADMIN');
    expect(asTerminalCell([q(' ADMIN')])).toBe('" ADMIN"');
    expect(asTerminalCell([q('')])).toBe('""');
    expect(asTerminalCell([q('a  b')])).toBe('"a  b"');
    // A double quote would read as the end of a quoted value; a long value is cut, as quoted.
    expect(asTerminalCell([q('a"b')])).toBe('"a\\"b"');
    expect(asTerminalCell([q('x'.repeat(300))])).toBe(`"${'x'.repeat(199)}…"`);
    expect(asTerminalCell([q('x'.repeat(200))])).toBe('x'.repeat(200));
  });

  it('never lets an escape sequence, a C1 control or a bidirectional override through: quoted, escaped', () => {
    const cell = asTerminalCell([q('US\u001b[2JER\u0085\u009b31m\u202eNIMDA\u2066')]);
    expect(cell).toBe('"US\\u001b[2JER\\u0085\\u009b31m\\u202eNIMDA\\u2066"');
  });

  it('never shows a value that hides something as a plain one: invisible letters and joiners are escaped', () => {
    expect(asTerminalCell([q('USER\u3164')])).toBe('"USER\\u3164"');
    expect(asTerminalCell([q('US\u200dER')])).toBe('"US\\u200dER"');
    expect(asTerminalCell([q('USER\u034f')])).toBe('"USER\\u034f"');
  });
});

describe('jsonLine', () => {
  it('is JSON, with C1, separators and bidirectional characters escaped', () => {
    const text = jsonLine({ role: 'x\u0085\u202e\u2028\u007f' });
    expect(text).toBe('{"role":"x\\u0085\\u202e\\u2028\\u007f"}');
    expect(JSON.parse(text)).toEqual({ role: 'x\u0085\u202e\u2028\u007f' });
  });
});

describe('asMarkdown, as GitHub renders it', () => {
  it.each(HOSTILE)('a value stays one <code>, with nothing alive around it: %s', (value) => {
    const rendered = renderGfm(`- ${asMarkdown(message`the role is ${q(value)}.`)}\n`);
    expect(rendered.code).toEqual([JSON.stringify(value)]);
    expect(rendered.prose.trim()).toBe('the role is .');
    expect(rendered.tags).toEqual(['ul', 'li', 'code']);
    expect(rendered.links).toEqual([]);
  });

  it.each(HOSTILE)('in a table cell too, where a pipe would end the cell: %s', (value) => {
    const cells = [message`${q(value)}`, ['prose | with a pipe'], message`org ${q(value)}`];
    const row = `| ${cells.map((cell) => asMarkdown(cell, { cell: true })).join(' | ')} |`;
    const rendered = renderGfm(`| a | b | c |\n|---|---|---|\n${row}\n`);
    const shown = /^[^\s"]+(?: [^\s"]+)*$/u.test(value) ? value : JSON.stringify(value);
    expect(rendered.tables).toEqual([
      [
        ['a', 'b', 'c'],
        [shown, 'prose | with a pipe', `org ${shown}`]
      ]
    ]);
    expect(rendered.code).toEqual([shown, shown]);
    expect(rendered.links).toEqual([]);
    expect(rendered.tags.filter((tag) => !['table', 'thead', 'tbody', 'tr', 'th', 'td', 'code'].includes(tag))).toEqual(
      []
    );
  });

  it('keeps a leading space visible in a cell, by quoting', () => {
    const rendered = renderGfm(`| a |\n|---|\n| ${asMarkdown([q(' USER')], { cell: true })} |\n`);
    expect(rendered.code).toEqual(['" USER"']);
  });

  it('escapes prose, so our own text renders as written and nothing in it acts', () => {
    const prose = 'Settings > Integrations > API Keys; env: { FS_X: ${{ secrets.FS_X }} } *not* _em_ <b> #1';
    const rendered = renderGfm(`${asMarkdown([prose])}\n`);
    expect(rendered.prose.trim()).toBe(prose);
    expect(rendered.tags).toEqual(['p']);
  });
});

describe('kept', () => {
  it('keeps at most MAX_KEPT_LENGTH characters, counted as characters, not UTF-16 units', () => {
    for (const char of ['x', '😀']) {
      const out = kept(char.repeat(10_000));
      expect([...out]).toHaveLength(MAX_KEPT_LENGTH + 1);
      expect(out.endsWith('…')).toBe(true);
    }
    expect(kept('😀'.repeat(MAX_KEPT_LENGTH))).toBe('😀'.repeat(MAX_KEPT_LENGTH));
    expect(kept(`${'😀'.repeat(MAX_KEPT_LENGTH)}x`)).toBe(`${'😀'.repeat(MAX_KEPT_LENGTH)}…`);
  });
});
