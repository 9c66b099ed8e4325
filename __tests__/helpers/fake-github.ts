// A local fake of the few GitHub REST endpoints the alert issue uses. Octokit takes its base URL
// from GITHUB_API_URL, so the action talks to this instead of api.github.com.

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  comments: string[];
  pull_request?: object;
  locked?: boolean;
  /** Why it was closed: completed, not_planned. */
  state_reason?: string;
}

export interface FakeGitHub {
  url: string;
  issues: FakeIssue[];
  /** Every request, as `METHOD /path`, with its Authorization header and its body as sent. */
  calls: { call: string; authorization?: string; body: string }[];
  /** Answer every request with 403, as GitHub does for a token without `issues: write`. */
  forbid: boolean;
  /** Answer every request with 422 and a message that echoes the request's Authorization header. */
  echoToken: boolean;
  /** Answers in place of the fake's own, where it returns one: GitHub's API misbehaving. */
  override?: (request: { method: string; path: string; token: string }) => OverrideAnswer | undefined;
  close(): Promise<void>;
}

export interface OverrideAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Sent as JSON, or as it is when it is a Buffer. */
  body: unknown;
}

/** `tls`: serve HTTPS with this key and certificate. */
export async function startFakeGitHub(repository: string, tls?: { key: string; cert: string }): Promise<FakeGitHub> {
  const fake: Omit<FakeGitHub, 'url' | 'close'> = { issues: [], calls: [], forbid: false, echoToken: false };
  const base = `/repos/${repository}/issues`;
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const view = (issue: FakeIssue) => ({
    ...issue,
    labels: issue.labels.map((name) => ({ name })),
    locked: issue.locked === true,
    comments: issue.comments.length
  });

  const listener: http.RequestListener = (req, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      fake.calls.push({ call: `${req.method} ${url.pathname}`, authorization: req.headers.authorization, body: text });
      if (fake.forbid) return json(res, 403, { message: 'Resource not accessible by integration' });
      if (fake.echoToken) return json(res, 422, { message: `Validation failed: ${req.headers.authorization ?? ''}` });
      const token = (req.headers.authorization ?? '').replace(/^token /, '');
      const answer = fake.override?.({ method: req.method ?? '', path: url.pathname, token });
      if (answer !== undefined) {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        return res.end(Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body));
      }
      const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      const number = Number(/^\/(\d+)/.exec(url.pathname.slice(base.length))?.[1]);
      const issue = fake.issues.find((candidate) => candidate.number === number);

      if (req.method === 'GET' && url.pathname === base) {
        const label = url.searchParams.get('labels');
        const state = url.searchParams.get('state') ?? 'open';
        // Pages as GitHub gives them: newest first, per_page at a time, a Link to the next page.
        const all = fake.issues
          .filter((i) => i.state === state && (!label || i.labels.includes(label)))
          .sort((a, b) => b.number - a.number);
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(url.href.replace('http://fake', `http://${req.headers.host}`));
          next.searchParams.set('page', String(page + 1));
          headers.link = `<${next.href}>; rel="next"`;
        }
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        return res.end(JSON.stringify(all.slice((page - 1) * perPage, page * perPage).map(view)));
      }
      if (req.method === 'POST' && url.pathname === base) {
        const created: FakeIssue = {
          number: fake.issues.length + 1,
          title: String(body.title),
          body: String(body.body),
          labels: (body.labels as string[]) ?? [],
          state: 'open',
          comments: []
        };
        fake.issues.push(created);
        return json(res, 201, view(created));
      }
      if (req.method === 'POST' && url.pathname === `${base}/${number}/comments` && issue) {
        if (issue.locked) return json(res, 403, { message: 'Unable to create comment because issue is locked.' });
        issue.comments.push(String(body.body));
        return json(res, 201, { id: issue.comments.length, body: body.body });
      }
      if (req.method === 'PATCH' && url.pathname === `${base}/${number}` && issue) {
        if (body.state === 'closed' || body.state === 'open') issue.state = body.state;
        if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason;
        if (typeof body.body === 'string') issue.body = body.body;
        if (typeof body.title === 'string') issue.title = body.title;
        return json(res, 200, view(issue));
      }
      return json(res, 404, { message: 'Not Found' });
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
}
