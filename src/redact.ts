// The run's secrets (every key, and the GitHub token) taken out of everything the run writes. The
// runner masks only its log, and only a secret spelled exactly; a server, a proxy at api-url or
// GitHub's API may echo a key back cut, without its realm, in another case, or in a form a reader
// decodes at a glance (HTML entities, Markdown or JSON escapes, percent-encoding, with invisible
// characters between its letters). So text is matched in that decoded form, and any 6 characters in
// a row of a secret are replaced by the secret's label: a key's realm and last 4 characters. The
// decoded reading also folds compatibility forms (fullwidth letters) and skips whitespace (a key
// spelled out letter by letter), and each secret is also looked for as base64, which is how a
// proxy or a log shows an Authorization header it decoded wrong.

import { decodeHTML } from 'entities';

/** The shortest piece of a secret that is redacted: shorter pieces are too common to be telling. */
export const MIN_FRAGMENT = 6;

export interface Secret {
  value: string;
  /** What the redaction shows instead, e.g. a key's realm and last 4 characters. */
  label: string;
}

/**
 * One unit of text as a reader decodes it: an HTML entity, a backslash escape of punctuation, a
 * JSON \u escape, a percent-encoded byte, a character that renders as nothing, or a character.
 */
const UNIT =
  /&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});|\\[!-/:-@[-`{-~]|\\u[\da-fA-F]{4}|%[\da-fA-F]{2}|[\s\S]/gu;

/**
 * Characters that show as nothing, break a line, move a terminal's cursor or reorder text: C0 and C1
 * controls, line and paragraph separators, format characters (bidirectional overrides, zero-width
 * joiners), Unicode's default-ignorable code points (variation selectors, the combining grapheme
 * joiner, tag characters, which renderers draw as nothing), and letters that render blank. Never
 * part of a match; escaped wherever a value is shown.
 */
export const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this is about
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/gu;

function decodeUnit(unit: string): string {
  if (unit.length < 2 || /^[\ud800-\udbff]/.test(unit)) return unit; // one character, astral ones included
  if (unit.startsWith('&')) return decodeHTML(unit);
  if (unit.startsWith('\\u')) return String.fromCharCode(parseInt(unit.slice(2), 16));
  if (unit.startsWith('\\')) return unit.slice(1);
  return String.fromCharCode(parseInt(unit.slice(1), 16)); // %XX
}

// ASCII only, so that each decoded character stays one character: keys are printable ASCII.
const fold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * The secret as base64 shows it wherever it starts in the encoded text (at a byte offset of 0, 1 or
 * 2 in its group of three), in both alphabets: only the characters that depend on the secret alone.
 */
function base64Forms(value: string): string[] {
  return [0, 1, 2].flatMap((offset) => {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]);
    const encoded = bytes.toString('base64').replace(/=+$/, '');
    const stable = encoded.slice(Math.ceil((offset * 4) / 3), bytes.length % 3 === 0 ? undefined : -1);
    return [stable, stable.replace(/\+/g, '-').replace(/\//g, '_')];
  });
}

/** The reading of a unit that a person decodes at a glance: compatibility forms folded, no spaces. */
const decoded = (unit: string) => decodeUnit(unit).normalize('NFKC').replace(/\s/g, '');

export class Redactor {
  /** Every MIN_FRAGMENT-long piece of every secret, case folded, and whose it is (keys share pieces). */
  private readonly pieces = new Map<string, string[]>();
  /** Secrets shorter than MIN_FRAGMENT, matched whole. */
  private readonly short: Secret[] = [];

  constructor(secrets: readonly Secret[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add({ value, label }: Secret): void {
    if (value === '') return;
    if (value.length < MIN_FRAGMENT) this.short.push({ value: fold(value), label });
    for (const form of [value, ...base64Forms(value)]) {
      for (let i = 0; i + MIN_FRAGMENT <= form.length; i += 1) {
        const piece = fold(form.slice(i, i + MIN_FRAGMENT));
        const owners = this.pieces.get(piece) ?? [];
        if (!owners.includes(label)) this.pieces.set(piece, [...owners, label]);
      }
    }
  }

  /** Forgets every secret (for tests: a run registers its own once). */
  clear(): void {
    this.pieces.clear();
    this.short.length = 0;
  }

  /**
   * `text` with every run of secret pieces replaced by `[redacted: label]`, the label of the secret
   * most of it is. Text is read twice, as it is and as a reader decodes it (a secret may itself
   * hold what looks like an escape), each without invisible characters.
   */
  redact(text: string): string {
    if (this.pieces.size === 0 && this.short.length === 0) return text;
    const spans = [...this.find(text, (unit) => unit), ...this.find(text, decoded)];
    if (spans.length === 0) return text;
    // Overlapping and touching spans are one run: one key echoed whole is one redaction.
    spans.sort((a, b) => a.start - b.start);
    const runs: { start: number; end: number; votes: Map<string, number> }[] = [];
    for (const { start, end, owners } of spans) {
      let run = runs.at(-1);
      if (run === undefined || start > run.end) runs.push((run = { start, end, votes: new Map() }));
      run.end = Math.max(run.end, end);
      for (const owner of owners) run.votes.set(owner, (run.votes.get(owner) ?? 0) + 1);
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

  /** Where pieces of secrets are in `text` read unit by unit through `read`, as spans of `text`. */
  private find(
    text: string,
    read: (unit: string) => string
  ): { start: number; end: number; owners: readonly string[] }[] {
    let seen = '';
    const from: number[] = [];
    const to: number[] = [];
    for (const match of text.matchAll(UNIT)) {
      for (const char of fold(read(match[0]).replace(INVISIBLE, ''))) {
        seen += char;
        from.push(match.index);
        to.push(match.index + match[0].length);
      }
    }
    const found: { start: number; end: number; owners: readonly string[] }[] = [];
    const mark = (i: number, length: number, owners: readonly string[]) =>
      found.push({ start: from[i]!, end: to[i + length - 1]!, owners });
    for (let i = 0; i + MIN_FRAGMENT <= seen.length; i += 1) {
      const owners = this.pieces.get(seen.slice(i, i + MIN_FRAGMENT));
      if (owners !== undefined) mark(i, MIN_FRAGMENT, owners);
    }
    for (const { value, label } of this.short) {
      for (let i = seen.indexOf(value); i !== -1; i = seen.indexOf(value, i + 1)) mark(i, value.length, [label]);
    }
    return found;
  }
}

/**
 * The secrets of this run, registered once where the run starts (as the runner's mask is); every
 * channel the run writes to passes through it (logger.ts, the CLI's output, the alert issue).
 */
export const secrets = new Redactor();
