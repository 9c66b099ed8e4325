import { describe, expect, it } from '@jest/globals';
import { escapeCell, oneLine, quote } from '../src/text.js';

describe('oneLine', () => {
  it('turns every line break and control character into a space', () => {
    expect(oneLine('a\nb\r\nc\u2028d\u0000e\u001bf\u0085g')).toBe('a b c d e f g');
  });
  it('cuts long text with an ellipsis', () => {
    expect(oneLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });
});

describe('quote', () => {
  it('quotes on one line, escaping quotes', () => {
    expect(quote('say "hi"\n::warning::x')).toBe('"say \\"hi\\" ::warning::x"');
  });
});

describe('escapeCell', () => {
  it('neutralises HTML and Markdown', () => {
    expect(escapeCell('<b>&"\'|`[x](y)*_\\')).toBe('&lt;b&gt;&amp;&quot;&#39;&#124;&#96;&#91;x&#93;(y)&#42;&#95;&#92;');
  });
  it('neutralises @mentions, which would notify people from an issue', () => {
    expect(escapeCell('@octocat')).toBe('&#64;octocat');
  });
  it('keeps plain values as they are', () => {
    expect(escapeCell('o-1G1-na1')).toBe('o-1G1-na1');
  });
});
