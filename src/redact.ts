// The run's secrets (every key, and the GitHub token) taken out of what the run writes. The runner
// masks only its log, and only a secret spelled exactly; an error page, a gateway, a proxy at
// api-url or GitHub's API may honestly repeat what it was sent: cut, without its realm, in another
// case, escaped as JSON, HTML or a URL escapes it, or as base64 (a proxy showing the Authorization
// header it decoded). Those are found here; a server that holds the key and disguises it on purpose
// is out of scope (SECURITY.md): it could publish the key as easily.

/** The shortest piece of a secret that is redacted: 8 characters in a row, the realm's dot among them. */
export const MIN_FRAGMENT = 8;

export interface Secret {
  value: string;
  /** What the redaction shows instead, e.g. a key's realm and last 4 characters. */
  label: string;
}

/** The named HTML entities an escaper writes for the characters of a key, an email or a password. */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  AMP: '&',
  lt: '<',
  LT: '<',
  gt: '>',
  GT: '>',
  quot: '"',
  QUOT: '"',
  apos: "'",
  sol: '/',
  period: '.',
  plus: '+',
  equals: '=',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  commat: '@',
  colon: ':',
  excl: '!',
  num: '#',
  dollar: '$',
  percnt: '%',
  ast: '*',
  quest: '?'
};

/**
 * An escape as JSON, HTML or a URL writes a character: \uXXXX, \X, &#NN;, &#xNN;, &name;, %XX, and
 * the %XX of a character's UTF-8 bytes together.
 */
const ESCAPE = new RegExp(
  [
    String.raw`\\u[\da-fA-F]{4}`,
    String.raw`\\[^u]`,
    String.raw`&#\d{1,7};`,
    String.raw`&#[xX][\da-fA-F]{1,6};`,
    `&(?:${Object.keys(NAMED).join('|')});`,
    String.raw`%[c-dC-D][\da-fA-F]%[89abAB][\da-fA-F]`,
    String.raw`%[eE][\da-fA-F](?:%[89abAB][\da-fA-F]){2}`,
    String.raw`%[fF][0-7](?:%[89abAB][\da-fA-F]){3}`,
    String.raw`%[\da-fA-F]{2}`
  ].join('|'),
  'y'
);

/** The character(s) an escape stands for; undefined for %XX bytes that are no UTF-8 character. */
function decode(unit: string): string | undefined {
  if (unit.startsWith('\\u')) return String.fromCharCode(parseInt(unit.slice(2), 16));
  if (unit.startsWith('\\')) return unit.slice(1);
  if (unit.startsWith('%')) {
    if (unit.length === 3) return String.fromCharCode(parseInt(unit.slice(1), 16));
    try {
      return decodeURIComponent(unit);
    } catch {
      return undefined;
    }
  }
  const codePoint = (digits: string, base: number) => String.fromCodePoint(Math.min(0x10ffff, parseInt(digits, base)));
  if (unit.startsWith('&#x') || unit.startsWith('&#X')) return codePoint(unit.slice(3, -1), 16);
  if (unit.startsWith('&#')) return codePoint(unit.slice(2, -1), 10);
  return NAMED[unit.slice(1, -1)] ?? unit;
}

/**
 * `text` decoded, case folded, and where each UTF-16 unit of that came from (an entity may stand
 * for two: &#x1F600;). `markdown`: whether `\%` and `\&` are escapes of `%` and `&`.
 */
function decoded(text: string, folded: string, markdown: boolean): { seen: string; from: number[]; to: number[] } {
  let seen = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length;) {
    ESCAPE.lastIndex = i;
    const plain =
      !'\\&%'.includes(text[i]!) || (!markdown && text[i] === '\\' && (text[i + 1] === '%' || text[i + 1] === '&'));
    let unit = plain ? undefined : ESCAPE.exec(text)?.[0];
    let read = unit === undefined ? undefined : decode(unit);
    // %XX bytes that looked like a UTF-8 character and are none: the first byte alone.
    if (unit !== undefined && read === undefined) read = decode((unit = unit.slice(0, 3)));
    const next = i + (unit?.length ?? 1);
    const units = read === undefined ? folded[i]! : asciiFolded(read);
    for (let j = 0; j < units.length; j += 1) {
      from.push(i);
      to.push(next);
    }
    seen += units;
    i = next;
  }
  return { seen, from, to };
}

/**
 * The secret as base64 shows it wherever it starts in the encoded text (a byte offset of 0, 1 or 2
 * in its group of three: `Basic {key}` puts it at 0): only the characters that depend on it alone.
 */
function base64Forms(value: string): string[] {
  return [0, 1, 2].map((offset) => {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]);
    const encoded = bytes.toString('base64').replace(/=+$/, '');
    return encoded.slice(Math.ceil((offset * 4) / 3), bytes.length % 3 === 0 ? undefined : -1);
  });
}

/** Lower case for ASCII letters only: the same length as the text, so its offsets hold. */
const asciiFolded = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export class Redactor {
  /** Every MIN_FRAGMENT-long piece of every secret, case folded, and whose it is. */
  private readonly pieces = new Map<string, string>();
  /** Secrets shorter than MIN_FRAGMENT (an email, say), matched whole. */
  private readonly short: Secret[] = [];

  constructor(secrets: readonly Secret[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add({ value, label }: Secret): void {
    if (value === '') return;
    if (value.length < MIN_FRAGMENT) this.short.push({ value: asciiFolded(value), label });
    for (const form of [value, ...base64Forms(value)]) {
      const folded = asciiFolded(form);
      for (let i = 0; i + MIN_FRAGMENT <= folded.length; i += 1) {
        const piece = folded.slice(i, i + MIN_FRAGMENT);
        if (!this.pieces.has(piece)) this.pieces.set(piece, label);
      }
    }
  }

  /** Forgets every secret (for tests: a run registers its own once). */
  clear(): void {
    this.pieces.clear();
    this.short.length = 0;
  }

  /** `text` with every run of secret pieces, as it is or with its escapes decoded, replaced by `[redacted: label]`. */
  redact(text: string): string {
    if (this.pieces.size === 0 && this.short.length === 0) return text;
    const spans: { start: number; end: number; label: string }[] = [];
    // The text as it came: a secret may itself hold what looks like an escape (`%2F`).
    const folded = asciiFolded(text);
    this.find(folded, (start, end, label) => spans.push({ start, end, label }));
    // The text as a reader reads it, where it holds an escape: decoded, and where each of its UTF-16
    // units came from. `\%` and `\&` read two ways: Markdown's escape of the character, or a
    // backslash before the escape it starts (`\%6e`).
    if (/[\\&%]/.test(text)) {
      for (const markdown of /\\[%&]/.test(text) ? [true, false] : [true]) {
        const { seen, from, to } = decoded(text, folded, markdown);
        this.find(seen, (start, end, label) => spans.push({ start: from[start]!, end: to[end - 1]!, label }));
      }
    }
    if (spans.length === 0) return text;
    // Overlapping and touching spans are one run: one key echoed whole is one redaction, labelled
    // as the secret most of its pieces are (keys of a batch share their realm's pieces).
    spans.sort((a, b) => a.start - b.start);
    const runs: { start: number; end: number; votes: Map<string, number> }[] = [];
    for (const { start, end, label } of spans) {
      let run = runs.at(-1);
      if (run === undefined || start > run.end) runs.push((run = { start, end, votes: new Map() }));
      run.end = Math.max(run.end, end);
      run.votes.set(label, (run.votes.get(label) ?? 0) + 1);
    }
    let out = '';
    let at = 0;
    for (const { start, end, votes } of runs) {
      const [label] = [...votes].reduce((best, vote) => (vote[1] > best[1] ? vote : best));
      out += `${text.slice(at, start)}[redacted: ${label}]`;
      at = end;
    }
    return out + text.slice(at);
  }

  /** Calls `found` for every piece of a secret in `reading`, and every short secret whole. */
  private find(reading: string, found: (start: number, end: number, label: string) => void): void {
    for (let i = 0; i + MIN_FRAGMENT <= reading.length; i += 1) {
      const label = this.pieces.get(reading.slice(i, i + MIN_FRAGMENT));
      if (label !== undefined) found(i, i + MIN_FRAGMENT, label);
    }
    for (const { value, label } of this.short) {
      for (let i = reading.indexOf(value); i !== -1; i = reading.indexOf(value, i + 1))
        found(i, i + value.length, label);
    }
  }
}

/**
 * The secrets of this run, registered once where the run starts (as the runner's mask is); every
 * way out passes through it (logger.ts, the CLI's output, the alert issue), and every remote value
 * as it enters (text.ts's q).
 */
export const secrets = new Redactor();
