// How messages are shown: prose written here, with the values in it (from the network, or from an
// input) kept apart as Quoted, so that each channel shows a value as a value and never lets it act:
// not as a workflow command in the log, not as a link, mention, reference, emoji or HTML in the job
// summary and the alert issue, not as an escape sequence or a bidirectional override on a terminal.
// Redaction (redact.ts) happens twice and only twice: where a value enters (q, and the answer of
// /me in fullstory.ts) and where a document leaves (logger.ts, the CLI's print, the alert issue).

import { secrets } from './redact.js';

/**
 * Characters that show as nothing, break a line, move a terminal's cursor or reorder text: C0 and C1
 * controls, line and paragraph separators, format characters (bidirectional overrides, zero-width
 * joiners), Unicode's default-ignorable code points (variation selectors, the combining grapheme
 * joiner, tag characters, which renderers draw as nothing), and letters that render blank. Escaped
 * wherever a value is shown (redact.ts skips them, as everything that is no letter or digit).
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this is about
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/gu;

/** A value shown as it came, never read as prose. */
export class Quoted {
  constructor(readonly value: string) {}
}

/** Text to copy (a line of YAML, an input as it should be written): a value, set bare in Markdown's code. */
export class Code extends Quoted {}

/** Prose (our own text) and values, in order. */
export type Message = readonly (string | Quoted)[];

/** `message\`the role is ${q(role)}\``: literal text and interpolated strings are prose; Quoted and Messages keep their parts. */
export function message(strings: TemplateStringsArray, ...values: (string | number | Quoted | Message)[]): Message {
  const parts: (string | Quoted)[] = [];
  strings.forEach((text, i) => {
    parts.push(text);
    if (i >= values.length) return;
    const value = values[i]!;
    if (value instanceof Quoted) parts.push(value);
    else if (typeof value === 'string' || typeof value === 'number') parts.push(String(value));
    else parts.push(...value);
  });
  return parts.filter((part) => part !== '');
}

/**
 * A value, kept to MAX_KEPT_LENGTH and redacted of the run's secrets where it enters. Kept first:
 * a piece of a key that the cut leaves is still redacted when it is as long as any that is.
 */
export function q(value: string): Quoted {
  return new Quoted(secrets.redact(kept(value)));
}

/**
 * Text to copy, such as `api-key: ${{ secrets.FULLSTORY_API_KEY }}`: quoted like a value where text
 * is shown, and in the job summary a code span without quotes (when it needs none to be seen), so
 * that what a reader copies is what to write. Redacted like a value.
 */
export function code(value: string): Code {
  return new Code(secrets.redact(kept(value)));
}

/** Longest a value is shown, in characters as shown (escapes counted); it is redacted first. */
export const MAX_VALUE_LENGTH = 200;

/**
 * Longest a value from the network is kept, in characters, from where it enters (q(), and the
 * answer of /me): room to redact a key that straddles the cut and still show MAX_VALUE_LENGTH, and
 * a bound on what every channel must redact, escape and write (a server may send 64 KiB per key).
 */
export const MAX_KEPT_LENGTH = 2 * MAX_VALUE_LENGTH;

export function kept(value: string): string {
  if (value.length <= MAX_KEPT_LENGTH) return value;
  // MAX_KEPT_LENGTH characters take at most twice as many UTF-16 units: the first ones are whole.
  const chars = [...value.slice(0, 2 * MAX_KEPT_LENGTH + 1)];
  return chars.length <= MAX_KEPT_LENGTH ? value : `${chars.slice(0, MAX_KEPT_LENGTH).join('')}…`;
}

/** JSON's escape of a character: one \u per UTF-16 unit, two for a character past U+FFFF. */
const unicodeEscape = (c: string) =>
  Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

const ONE_INVISIBLE = new RegExp(`^${INVISIBLE.source}$`, 'u');

/** At most `max` characters as shown, in JSON's quotes: an escaped character is as long as its escape. */
function cut(value: string, max = MAX_VALUE_LENGTH): string {
  const chars = [...value];
  const widths = chars.map((c) => (ONE_INVISIBLE.test(c) ? unicodeEscape(c).length : c === '"' || c === '\\' ? 2 : 1));
  if (widths.reduce((sum, width) => sum + width, 0) <= max) return value;
  let width = 0;
  const shown = chars.filter((_c, i) => (width += widths[i]!) <= max - 1);
  return `${shown.join('')}…`;
}

/**
 * Longest a value from the network is in an output, as JSON shows it: a role or an org id is a
 * few characters, and GitHub takes at most 1 MB of outputs from a job, `results` of 1,000 keys
 * included.
 */
export const MAX_OUTPUT_LENGTH = 64;

/** A value from the network (redacted where it entered) for an output: cut to MAX_OUTPUT_LENGTH. */
export function forOutput(value: string): string {
  return cut(value, MAX_OUTPUT_LENGTH);
}

/**
 * A value in double quotes on one line, with every invisible or control character escaped and
 * whitespace kept, so that `" USER"` is seen to be no role at all.
 */
export function quote(value: string): string {
  return JSON.stringify(cut(value)).replace(INVISIBLE, unicodeEscape);
}

/** Nothing that needs quoting to be seen as it is: no edge, double or odd whitespace, nothing invisible. */
function isPlain(value: string): boolean {
  return (
    value !== '' && !/^\s|\s$|\s\s|[^\S ]|[\p{C}\p{Zl}\p{Zp}]|"/u.test(value) && value.replace(INVISIBLE, '') === value
  );
}

/** A value in a table cell: bare when it is plain, quoted otherwise. */
function cellValue(value: string): string {
  return isPlain(value) && [...value].length <= MAX_VALUE_LENGTH ? value : quote(value);
}

/** Our own prose, on one line, whatever was interpolated into it; an emoji keeps its presentation selector (⚠️). */
function flat(text: string): string {
  return text.replace(INVISIBLE, (c) => (c === '\ufe0f' ? c : ' '));
}

/** For the log, annotations and a terminal's message lines: values quoted, everything on one line. */
export function asText(parts: Message): string {
  return parts.map((part) => (part instanceof Quoted ? quote(part.value) : flat(part))).join('');
}

/** A table cell on a terminal: a value bare when plain, otherwise quoted with its controls escaped. */
export function asTerminalCell(parts: Message): string {
  return parts.map((part) => (part instanceof Quoted ? cellValue(part.value) : flat(part))).join('');
}

/** JSON on one line, with what JSON.stringify leaves raw (DEL, C1, format characters) escaped. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(INVISIBLE, unicodeEscape);
}

/**
 * Markdown for the job summary and the alert issue, which GitHub renders with cmark-gfm and then
 * filters for mentions, references and emoji. Prose has every ASCII punctuation mark escaped;
 * values go in code spans, which none of the Markdown extensions or GitHub's filters touch.
 * `cell`: inside a table, where a pipe ends the cell even inside a code span unless escaped.
 */
export function asMarkdown(parts: Message, { cell = false } = {}): string {
  return parts
    .map((part) =>
      part instanceof Quoted
        ? codeSpan(cell || part instanceof Code ? cellValue(part.value) : quote(part.value), cell)
        : prose(part)
    )
    .join('');
}

function prose(text: string): string {
  return flat(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A code span that holds `text` exactly: a fence longer than any run of backticks inside it. */
function codeSpan(text: string, cell: boolean): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(([run]) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A code span drops one space at each end when both are there: pad where a backtick is at an edge.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  const body = cell ? text.replace(/\|/g, '\\|') : text;
  return `${fence}${pad}${body}${pad}${fence}`;
}
