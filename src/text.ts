// Everything that reaches the log or the job summary from a remote answer passes through here.

// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * One printable line, at most `max` characters. The runner parses workflow commands (`::error::`,
 * `::add-mask::`) line by line from stdout, so text from the network must never carry a newline
 * that would let it start a line of its own.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(CONTROL, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Quoted for a message, so an empty or odd value is still visible as a value. */
export function quote(text: string): string {
  return JSON.stringify(oneLine(text));
}

const HTML: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '\\': '&#92;',
  '@': '&#64;'
};

/**
 * A value for a cell of the job summary or the alert issue: both render Markdown with HTML, so
 * both are neutralised, and so are @mentions, which would notify people from an issue.
 */
export function escapeCell(text: string): string {
  return oneLine(text, 500).replace(/[&<>"'|`[\]*_\\@]/g, (c) => HTML[c] ?? c);
}
