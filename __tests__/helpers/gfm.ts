// The job summary and the alert issue as GitHub shows them: rendered by cmark-gfm (GitHub's own
// renderer, the Debian package `.ci/run` installs) with GitHub's extensions, then read as HTML.
// GitHub's mention, reference and emoji filters run on that HTML's text outside <code>, <pre> and
// <a>, so what a test must see is every remote value inside <code>, and nothing else alive.

import { execFileSync } from 'node:child_process';
import { DomUtils, parseDocument } from 'htmlparser2';
import { isTag, isText, type AnyNode } from 'domhandler';

export interface Rendered {
  html: string;
  /** Every element's tag name, in document order. */
  tags: string[];
  /** Each table: its rows (the header row first), each row its cells' rendered text. */
  tables: string[][][];
  /** The text of every <code>. */
  code: string[];
  /** All the text outside <code>: where GitHub would find mentions, references and emoji. */
  prose: string;
  /** All the text, as a reader sees it. */
  text: string;
  /** The href of every <a>. */
  links: string[];
}

export function renderGfm(markdown: string): Rendered {
  let html: string;
  try {
    html = execFileSync(
      'cmark-gfm',
      ['--unsafe', '-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter', '-e', 'tasklist'],
      { input: markdown, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    throw new Error('cmark-gfm is not installed: `apt-get install -y cmark-gfm` (.ci/run does it).', { cause: error });
  }
  const document = parseDocument(html, { decodeEntities: true });
  const elements = DomUtils.findAll(() => true, document.children);
  const text = (node: AnyNode) => DomUtils.textContent(node);
  const outsideCode = (node: AnyNode): string => {
    if (isText(node)) return node.data;
    if (isTag(node) && node.name !== 'code') return node.children.map(outsideCode).join('');
    return '';
  };
  return {
    html,
    tags: elements.map((element) => element.name),
    tables: elements
      .filter((element) => element.name === 'table')
      .map((table) =>
        DomUtils.findAll((element) => element.name === 'tr', table.children).map((row) =>
          DomUtils.findAll((element) => element.name === 'td' || element.name === 'th', row.children).map(text)
        )
      ),
    code: elements.filter((element) => element.name === 'code').map(text),
    prose: document.children.map(outsideCode).join(''),
    text: DomUtils.textContent(document),
    links: elements.filter((element) => element.name === 'a').map((element) => element.attribs.href ?? '')
  };
}
