// The run's secrets (every key, and the GitHub token) taken out of everything the run writes. The
// runner masks only its log, and only a secret spelled exactly; a server, a proxy at api-url or
// GitHub's API may echo a key back cut, without its realm, in another case, or in a form a reader
// decodes at a glance: HTML entities, Markdown or JSON escapes, percent-encoding, fullwidth or
// accented letters, with invisible characters, spaces, dashes or quotes between its letters, or as
// base64 (how a proxy shows an Authorization header it decoded wrong). So text and secrets are both
// compared as a reader's skeleton of them, letters and digits only, and any MIN_FRAGMENT of them in
// a row of a secret are replaced by the secret's label: a key's realm and last 4 characters.

import { decodeHTML } from 'entities';

/**
 * The shortest piece of a secret that is redacted, in letters and digits: shorter pieces are too
 * common to be telling (1 in 36^7 per place), and 8 characters of a key in a row, its realm's dot
 * among them, are at least 7 of them.
 */
export const MIN_FRAGMENT = 7;

export interface Secret {
  value: string;
  /** What the redaction shows instead, e.g. a key's realm and last 4 characters. */
  label: string;
}

/** An escape a reader decodes at a glance: an HTML entity, a backslash escape, a JSON \u escape, a percent-encoded byte. */
const ESCAPE =
  /&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});|\\[!-/:-@[-`{-~]|\\u[\da-fA-F]{4}|%[\da-fA-F]{2}/y;

function decodeUnit(unit: string): string {
  if (unit.startsWith('&')) return decodeHTML(unit);
  if (unit.startsWith('\\u')) return String.fromCharCode(parseInt(unit.slice(2), 16));
  if (unit.startsWith('\\')) return unit.slice(1);
  return String.fromCharCode(parseInt(unit.slice(1), 16)); // %XX
}

/**
 * What a reader reads in `text`: its letters and digits, case folded, compatibility forms (fullwidth,
 * superscripts) and accents taken off; everything else (punctuation, spaces, marks, invisible
 * characters) is no part of it. ASCII, the common case, never reaches normalize.
 */
function skeleton(text: string): string {
  if (text.length === 1 && text.charCodeAt(0) < 128) return /[A-Za-z0-9]/.test(text) ? text.toLowerCase() : '';
  if (text.length > 2) return [...text].map(skeleton).join('');
  let known = SKELETONS.get(text);
  if (known === undefined) {
    known = text
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
    if (SKELETONS.size < 65_536) SKELETONS.set(text, known);
  }
  return known;
}

/** Skeletons of the characters outside ASCII met so far: normalize is slow, and a text repeats them. */
const SKELETONS = new Map<string, string>();

/**
 * The secret as base64 shows it wherever it starts in the encoded text (at a byte offset of 0, 1 or
 * 2 in its group of three): only the characters that depend on the secret alone. Its skeleton is
 * the same in both alphabets.
 */
function base64Forms(value: string): string[] {
  return [0, 1, 2].map((offset) => {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]);
    const encoded = bytes.toString('base64').replace(/=+$/, '');
    return encoded.slice(Math.ceil((offset * 4) / 3), bytes.length % 3 === 0 ? undefined : -1);
  });
}

/** How a redaction begins, and what no piece of a secret is read across. */
const MARK = '[redacted: ';
const WALL = '\u0000';

/** A reading of a text: its skeleton, and for each of its characters the span of the text it came from. */
interface Reading {
  seen: string[];
  from: number[];
  to: number[];
}

function push(reading: Reading, text: string, from: number, to: number): void {
  for (const char of skeleton(text)) {
    reading.seen.push(char);
    reading.from.push(from);
    reading.to.push(to);
  }
}

export class Redactor {
  /** Every MIN_FRAGMENT-long piece of every secret's skeleton, and whose it is (keys share pieces). */
  private readonly pieces = new Map<string, string[]>();
  /** Secrets whose skeleton is shorter than MIN_FRAGMENT, matched whole. */
  private readonly short: Secret[] = [];

  constructor(secrets: readonly Secret[] = []) {
    for (const secret of secrets) this.add(secret);
  }

  add({ value, label }: Secret): void {
    const whole = skeleton(value);
    if (whole === '') return;
    if (whole.length < MIN_FRAGMENT) this.short.push({ value: whole, label });
    for (const form of [whole, ...base64Forms(value).map(skeleton)]) {
      for (let i = 0; i + MIN_FRAGMENT <= form.length; i += 1) {
        const piece = form.slice(i, i + MIN_FRAGMENT);
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
   * most of it is. Text is read twice, as it is and with its escapes decoded (a secret may itself
   * hold what looks like an escape).
   */
  redact(text: string): string {
    return this.replace(text, false);
  }

  /**
   * The last net over a whole document on its way out (log lines, the job summary, an issue body,
   * a terminal): as redact, but no piece runs across a line, a table cell or a code span, which
   * were each redacted as a value already. A redaction across them would break the document, and
   * two cells side by side are no text in a row.
   */
  redactDocument(text: string): string {
    return this.replace(text, true);
  }

  private replace(text: string, document: boolean): string {
    if (this.pieces.size === 0 && this.short.length === 0) return text;
    const spans = this.find(text, document);
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
      out += `${text.slice(at, start)}${MARK}${label}]`;
      at = end;
    }
    return out + text.slice(at);
  }

  /**
   * Where pieces of secrets are in `text`, read as it is and decoded, as spans of `text`. A
   * redaction already made is a wall no piece runs across (so redacting twice changes nothing),
   * and so are the edges of a document's lines, cells and code spans.
   */
  private find(text: string, document: boolean): { start: number; end: number; owners: readonly string[] }[] {
    const raw: Reading = { seen: [], from: [], to: [] };
    const decoded: Reading = { seen: [], from: [], to: [] };
    const wall = (from: number, to: number) => {
      for (const reading of [raw, decoded]) {
        reading.seen.push(WALL);
        reading.from.push(from);
        reading.to.push(to);
      }
    };
    for (let i = 0; i < text.length;) {
      const code = text.charCodeAt(i);
      if (code === 0x5b && text.startsWith(MARK, i)) {
        const end = text.indexOf(']', i + MARK.length);
        if (end !== -1) {
          wall(i, end + 1);
          i = end + 1;
          continue;
        }
      }
      // A label (`na1 …abcd`) shows a key's realm and last 4: read as one, it would spell the first
      // piece of another key of a batch (`na1abcd`) now and then. No key holds an ellipsis.
      if (code === 0x2026 || (document && (code === 0x0a || code === 0x7c || code === 0x60))) {
        wall(i, i + 1);
        i += 1;
        continue;
      }
      let escape: string | undefined;
      if (code === 0x26 || code === 0x5c || code === 0x25) {
        ESCAPE.lastIndex = i;
        escape = ESCAPE.exec(text)?.[0];
      }
      if (escape !== undefined) {
        for (let j = 0; j < escape.length; j += 1) push(raw, escape[j]!, i + j, i + j + 1);
        push(decoded, decodeUnit(escape), i, i + escape.length);
        i += escape.length;
        continue;
      }
      const length = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
      const char = length === 1 ? text[i]! : text.slice(i, i + 2);
      push(raw, char, i, i + length);
      push(decoded, char, i, i + length);
      i += length;
    }
    const found: { start: number; end: number; owners: readonly string[] }[] = [];
    for (const { seen: chars, from, to } of [raw, decoded]) {
      const seen = chars.join('');
      const mark = (i: number, length: number, owners: readonly string[]) =>
        found.push({ start: from[i]!, end: to[i + length - 1]!, owners });
      for (let i = 0; i + MIN_FRAGMENT <= seen.length; i += 1) {
        const owners = this.pieces.get(seen.slice(i, i + MIN_FRAGMENT));
        if (owners !== undefined) mark(i, MIN_FRAGMENT, owners);
      }
      for (const { value, label } of this.short) {
        for (let i = seen.indexOf(value); i !== -1; i = seen.indexOf(value, i + 1)) mark(i, value.length, [label]);
      }
    }
    return found;
  }
}

/**
 * The secrets of this run, registered once where the run starts (as the runner's mask is); every
 * channel the run writes to passes through it (logger.ts, the CLI's output, the alert issue).
 */
export const secrets = new Redactor();
