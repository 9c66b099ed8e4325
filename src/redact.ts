// Every string that comes from the network (a body's fields, an error's message, a Location, a
// network error's text, GitHub's API errors) passes through a Redactor before anything else reads
// it: a server, a proxy at api-url or GitHub's API may echo a credential back, whole, cut or without
// its realm, and the runner masks only the log, only whole secrets, and not the summary's escapes,
// the alert issue or a terminal. Redacting first means no later truncation or escaping can let part
// of a key through.

/** The shortest piece of a secret that is redacted: shorter pieces are too common to be telling. */
export const MIN_FRAGMENT = 6;

export interface Secret {
  value: string;
  /** What the redaction shows instead, e.g. a key's realm and last 4 characters. */
  label: string;
}

// ASCII only, so that positions in the folded text are positions in the original: keys are ASCII.
const fold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

export class Redactor {
  /** Every MIN_FRAGMENT-long piece of every secret, case folded, and whose it is (keys share pieces). */
  private readonly pieces = new Map<string, string[]>();
  /** Secrets shorter than MIN_FRAGMENT, matched whole. */
  private readonly short: Secret[] = [];

  constructor(secrets: readonly Secret[]) {
    for (const { value, label } of secrets) {
      if (value === '') continue;
      if (value.length < MIN_FRAGMENT) this.short.push({ value: fold(value), label });
      for (let i = 0; i + MIN_FRAGMENT <= value.length; i += 1) {
        const piece = fold(value.slice(i, i + MIN_FRAGMENT));
        const owners = this.pieces.get(piece) ?? [];
        if (!owners.includes(label)) this.pieces.set(piece, [...owners, label]);
      }
    }
  }

  /** `text` with every run of secret pieces replaced by `[redacted: label]`, the label of the secret most of it is. */
  redact(text: string): string {
    if (this.pieces.size === 0 && this.short.length === 0) return text;
    const folded = fold(text);
    const found: { start: number; end: number; owners: readonly string[] }[] = [];
    for (let i = 0; i + MIN_FRAGMENT <= folded.length; i += 1) {
      const owners = this.pieces.get(folded.slice(i, i + MIN_FRAGMENT));
      if (owners !== undefined) found.push({ start: i, end: i + MIN_FRAGMENT, owners });
    }
    for (const { value, label } of this.short) {
      for (let at = folded.indexOf(value); at !== -1; at = folded.indexOf(value, at + 1)) {
        found.push({ start: at, end: at + value.length, owners: [label] });
      }
    }
    if (found.length === 0) return text;
    // Overlapping and touching pieces are one run: one key echoed whole is one redaction.
    found.sort((a, b) => a.start - b.start);
    const runs: { start: number; end: number; votes: Map<string, number> }[] = [];
    for (const { start, end, owners } of found) {
      let run = runs.at(-1);
      if (run === undefined || start > run.end) runs.push((run = { start, end, votes: new Map() }));
      run.end = Math.max(run.end, end);
      for (const owner of owners) run.votes.set(owner, (run.votes.get(owner) ?? 0) + 1);
    }
    let out = '';
    let from = 0;
    for (const { start, end, votes } of runs) {
      const [label] = [...votes].reduce((best, vote) => (vote[1] > best[1] ? vote : best));
      out += `${text.slice(from, start)}[redacted: ${label}]`;
      from = end;
    }
    return out + text.slice(from);
  }
}
