// The one way out for every message: prose written here, with the values in it (from the network,
// already redacted by redact.ts, or from an input) kept apart as Quoted, so that each channel shows
// a value as a value and never lets it act: not as a workflow command in the log, not as a link,
// mention, reference, emoji or HTML in the job summary and the alert issue, not as an escape
// sequence or a bidirectional override on a terminal.

/** A value shown as it came, never read as prose. */
export class Quoted {
  constructor(readonly value: string) {}
}

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

export function q(value: string): Quoted {
  return new Quoted(value);
}

/** Longest a value is shown, in characters; redaction happened before, so a cut never halves a key. */
export const MAX_VALUE_LENGTH = 200;

// C0 and C1 controls, line and paragraph separators, bidirectional overrides and isolates: the
// characters that can start a log line of their own, move a terminal's cursor or reorder text.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this handles
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const unicodeEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

function cut(value: string, max = MAX_VALUE_LENGTH): string {
  const chars = [...value];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : value;
}

/**
 * A value in double quotes on one line, every unsafe character escaped and whitespace kept, so that
 * `" USER"` is seen to be no role at all.
 */
export function quote(value: string): string {
  return JSON.stringify(cut(value)).replace(UNSAFE, unicodeEscape);
}

/** Nothing that needs quoting to be seen as it is: no edge, double or odd whitespace, nothing invisible. */
function isPlain(value: string): boolean {
  return value !== '' && !/^\s|\s$|\s\s|[^\S ]|[\p{C}\p{Zl}\p{Zp}]|"/u.test(value);
}

/** A value in a table cell: bare when it is plain, quoted otherwise. */
function cellValue(value: string): string {
  return isPlain(value) && [...value].length <= MAX_VALUE_LENGTH ? value : quote(value);
}

/** For the log, annotations and a terminal's message lines: values quoted, everything on one line. */
export function asText(parts: Message): string {
  return parts.map((part) => (part instanceof Quoted ? quote(part.value) : part.replace(UNSAFE, ' '))).join('');
}

/** A table cell on a terminal: values bare when plain, with controls and bidirectional overrides stripped. */
export function asTerminalCell(parts: Message): string {
  return parts
    .map((part) => (part instanceof Quoted ? cellValue(part.value.replace(UNSAFE, '')) : part.replace(UNSAFE, ' ')))
    .join('');
}

/** JSON on one line, with what JSON.stringify leaves raw (DEL, C1, separators, bidirectional) escaped. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, unicodeEscape);
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
      part instanceof Quoted ? codeSpan(cell ? cellValue(part.value) : quote(part.value), cell) : prose(part)
    )
    .join('');
}

function prose(text: string): string {
  return text.replace(UNSAFE, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A code span that holds `text` exactly: a fence longer than any run of backticks inside it. */
function codeSpan(text: string, cell: boolean): string {
  const flat = text.replace(UNSAFE, unicodeEscape);
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map(([run]) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A code span drops one space at each end when both are there: pad where a backtick is at an edge.
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  const body = cell ? flat.replace(/\|/g, '\\|') : flat;
  return `${fence}${pad}${body}${pad}${fence}`;
}
