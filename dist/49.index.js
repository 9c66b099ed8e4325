export const id = 49;
export const ids = [49];
export const modules = {

/***/ 8049:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   updateAlertIssue: () => (/* binding */ updateAlertIssue)
/* harmony export */ });
/* unused harmony exports ALERT_LABEL, LEGACY_TITLE, MAX_CONNECTIONS, MAX_ANSWER_BYTES, checkIdentity, httpClientFetch */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _actions_http_client__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2779);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6683);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6670);
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8992);





const ALERT_LABEL = 'fullstory-key-check';
const LEGACY_TITLE = 'Fullstory API key check is failing';
const MAX_PAGES = 20;
const MAX_CONNECTIONS = 10;
const MAX_REQUESTS = 60;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
class UnexpectedAnswer extends Error {
}
class TooManyConnections extends Error {
}
function checkIdentity(env, name) {
    const ref = env.GITHUB_WORKFLOW_REF ?? '';
    const file = ref.slice(0, ref.includes('@') ? ref.lastIndexOf('@') : undefined).replace(/^[^/]+\/[^/]+\//, '');
    const workflow = file || env.GITHUB_WORKFLOW || 'workflow';
    const job = env.GITHUB_JOB || 'job';
    const id = [workflow, job, name]
        .filter((part) => part !== '')
        .map(encodeURIComponent)
        .join(' ');
    const marker = `<!-- fullstory-key-check: ${id} -->`;
    const shown = [env.GITHUB_WORKFLOW || workflow, job, name].filter((part) => part !== '').join(' / ');
    return { id, marker, title: `${LEGACY_TITLE}: ${shown}` };
}
function cappedFetch(fetch, deadline) {
    let failures = 0;
    let requests = 0;
    const connect = async (input, init) => {
        for (;;) {
            if (failures >= MAX_CONNECTIONS || requests >= MAX_REQUESTS)
                throw new TooManyConnections();
            requests += 1;
            try {
                return await fetch(input, init);
            }
            catch (error) {
                failures += 1;
                if (deadline.passed || !transient(error))
                    throw error;
                if (failures >= MAX_CONNECTIONS)
                    throw new TooManyConnections();
                await deadline.sleep(Math.min(800, 50 * 2 ** (failures - 1)));
            }
        }
    };
    return async (input, init) => {
        const response = await connect(input, init);
        if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES || response.body === null) {
            await response.body?.cancel();
            if (response.body !== null)
                throw new UnexpectedAnswer();
            return response;
        }
        const chunks = [];
        let size = 0;
        for await (const chunk of response.body) {
            size += chunk.byteLength;
            if (size > MAX_ANSWER_BYTES) {
                await response.body.cancel().catch(() => undefined);
                throw new UnexpectedAnswer();
            }
            chunks.push(chunk);
        }
        const { status, statusText, headers } = response;
        const empty = [101, 204, 205, 304].includes(status);
        return new Response(empty ? null : Buffer.concat(chunks), { status, statusText, headers });
    };
}
class Signalled {
    signal;
    constructor(signal) {
        this.signal = signal;
    }
    prepareRequest(options) {
        if (this.signal)
            options.signal = this.signal;
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        throw new Error('not used');
    }
}
const httpClientFetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const client = new _actions_http_client__WEBPACK_IMPORTED_MODULE_1__/* .HttpClient */ .Qq('fullstory-key-check', [new Signalled(init?.signal)], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: false
    });
    try {
        const headers = Object.fromEntries(new Headers(init?.headers).entries());
        const body = typeof init?.body === 'string' ? init.body : null;
        const response = await client.request(init?.method ?? 'GET', url, body, headers);
        const message = response.message;
        const chunks = [];
        let size = 0;
        for await (const chunk of message) {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) {
                message.destroy();
                throw new UnexpectedAnswer();
            }
            chunks.push(chunk);
        }
        const answer = new Headers();
        for (const [name, value] of Object.entries(message.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? ''])
                answer.append(name, one);
        }
        const status = message.statusCode ?? 0;
        const empty = [101, 204, 205, 304].includes(status);
        return new Response(empty ? null : Buffer.concat(chunks), {
            status,
            statusText: message.statusMessage,
            headers: answer
        });
    }
    finally {
        client.dispose();
    }
};
function transient(error) {
    const { code, message: said } = error;
    return ((typeof code === 'string' &&
        /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/.test(code)) ||
        (typeof said === 'string' && /socket hang up|fetch failed/.test(said)));
}
function issueNumber(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0)
        return value;
    throw new UnexpectedAnswer();
}
function issueUrl(env, owner, repo, number) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const name = /^[\w.-]+$/;
    if (!/^https?:\/\/[\w.-]+(:\d+)?$/.test(server) || !name.test(owner) || !name.test(repo))
        return undefined;
    return `${server}/${owner}/${repo}/issues/${number}`;
}
async function updateAlertIssue({ logger, token, result, table, env, clock, timeoutMs, checkName, fetch: given }) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo) {
        const reason = (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `alert-issue is on, but GITHUB_REPOSITORY is not set, so there is no repository to open an issue in.`;
        logger.warning((0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .asText */ .e1)(reason));
        return { kind: 'failed', reason };
    }
    const done = (kind, number) => {
        const url = issueUrl(env, owner, repo, number);
        return url === undefined ? { kind, number } : { kind, number, url };
    };
    const check = checkIdentity(env, checkName);
    const run = `[run ${env.GITHUB_RUN_ID ?? ''}](${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''})`;
    const log = { debug: logger.debug, info: logger.debug, warn: logger.debug, error: logger.debug };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { log, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    const deadline = new _deadline_js__WEBPACK_IMPORTED_MODULE_2__/* .Deadline */ .B2(timeoutMs, clock);
    const fetch = cappedFetch(given ?? httpClientFetch, deadline);
    const request = { signal: deadline.signal, log, fetch };
    const post = (body) => _redact_js__WEBPACK_IMPORTED_MODULE_3__/* .secrets */ .O3.redact(body);
    const comment = (number, body) => deadline.race(octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: post(body), request }));
    const close = (number, reason) => deadline.race(octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'closed', state_reason: reason, request }));
    const find = async () => {
        const all = [];
        for (let page = 1; page <= MAX_PAGES; page += 1) {
            const { data, headers } = await deadline.race(octokit.rest.issues.listForRepo({
                owner,
                repo,
                state: 'open',
                labels: ALERT_LABEL,
                per_page: 100,
                page,
                request
            }));
            if (!Array.isArray(data))
                throw new UnexpectedAnswer();
            for (const issue of data) {
                const { number, title, body, locked, pull_request } = issue;
                if (pull_request !== undefined)
                    continue;
                all.push({
                    number: issueNumber(number),
                    title: typeof title === 'string' ? title : '',
                    body: typeof body === 'string' ? body : '',
                    locked: locked === true
                });
            }
            if (!/\brel="next"/.test(headers.link ?? ''))
                break;
        }
        all.sort((a, b) => a.number - b.number);
        const lines = (issue) => issue.body.split(/\r?\n/).map((line) => line.trim());
        return {
            mine: all.filter((issue) => lines(issue).includes(check.marker)),
            legacy: all.filter((issue) => issue.title === LEGACY_TITLE && !lines(issue).some((line) => line.startsWith('<!-- fullstory-key-check:')))
        };
    };
    try {
        const { mine, legacy } = await find();
        const locked = mine.filter((issue) => issue.locked);
        let open = mine.filter((issue) => !issue.locked);
        const takeOver = open.length === 0 ? legacy.find((issue) => !issue.locked) : undefined;
        if (takeOver !== undefined) {
            await deadline.race(octokit.rest.issues.update({
                owner,
                repo,
                issue_number: takeOver.number,
                title: check.title,
                body: post(`${takeOver.body}\n\n${check.marker}`),
                request
            }));
            open = [takeOver];
        }
        const [oldest, ...duplicates] = open;
        for (const duplicate of duplicates) {
            await comment(duplicate.number, `Duplicate of #${oldest.number}: one alert issue per check.\n\n${check.marker}`);
            await close(duplicate.number, 'not_planned');
            logger.info(`Closed alert issue #${duplicate.number} as a duplicate of #${oldest.number}.`);
        }
        if (result !== 'match') {
            const report = `The Fullstory API key check failed (${result}) in ${run}.\n\n${table}`;
            if (oldest !== undefined) {
                try {
                    await comment(oldest.number, report);
                    logger.info(`Commented on alert issue #${oldest.number}.`);
                    return done('commented', oldest.number);
                }
                catch (error) {
                    if (!isLocked(error))
                        throw error;
                    locked.push(oldest);
                }
            }
            const previous = locked.at(-1);
            const carriesOn = previous === undefined ? '' : `Alert issue #${previous.number} is locked, so this one carries on from it.\n\n`;
            const body = post(`${carriesOn}${report}\n\nEach failing run of this check comments here; its first healthy run closes this issue.\n\n${check.marker}`);
            const created = await deadline.race(octokit.rest.issues.create({ owner, repo, title: check.title, body, labels: [ALERT_LABEL], request }));
            const number = issueNumber(created.data.number);
            logger.info(`Opened alert issue #${number}.`);
            const again = (await find()).mine.filter((issue) => !issue.locked);
            const first = again[0];
            if (first !== undefined && first.number < number) {
                await comment(number, `Duplicate of #${first.number}: one alert issue per check.\n\n${check.marker}`);
                await close(number, 'not_planned');
                logger.info(`Closed alert issue #${number} as a duplicate of #${first.number}.`);
                return done('joined', first.number);
            }
            return done('opened', number);
        }
        else if (oldest !== undefined) {
            await comment(oldest.number, `The Fullstory API keys of this check are healthy again in ${run}.\n\n${table}`);
            await close(oldest.number, 'completed');
            logger.info(`Closed alert issue #${oldest.number}: the keys are healthy again.`);
            return done('closed', oldest.number);
        }
        return { kind: 'none' };
    }
    catch (error) {
        const reason = advice(error, deadline, timeoutMs);
        logger.warning(`alert-issue: ${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .asText */ .e1)(reason)} The check itself is unaffected.`);
        return { kind: 'failed', reason };
    }
    finally {
        deadline.dispose();
    }
}
function isLocked(error) {
    const { status, message: said } = error;
    return status === 403 && typeof said === 'string' && /\blocked\b/i.test(said);
}
function advice(error, deadline, timeoutMs) {
    const { status, message: said } = error;
    if (error instanceof _deadline_js__WEBPACK_IMPORTED_MODULE_2__/* .TimeUp */ .Lr || deadline.passed) {
        return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `GitHub's API did not answer within ${timeoutMs / 1000} s, so the alert issue was not updated.`;
    }
    const cause = error.cause;
    if (error instanceof TooManyConnections || cause instanceof TooManyConnections) {
        return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `could not connect to GitHub's API in ${MAX_CONNECTIONS} attempts, so the alert issue was not updated. Check the runner's proxy settings (https_proxy, no_proxy).`;
    }
    if (error instanceof UnexpectedAnswer || cause instanceof UnexpectedAnswer) {
        return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `GitHub's API answered with something other than issues, so the alert issue was not updated.`;
    }
    switch (status) {
        case 401:
            return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `github-token was refused (HTTP 401): it is not a valid token. Leave github-token at its default, ${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .code */ .aY)('${{ github.token }}')}.`;
        case 403:
            if (typeof said === 'string' && /\blocked\b/i.test(said)) {
                return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `the alert issue was locked while this run updated it (HTTP 403); the next failing run opens a new one.`;
            }
            if (typeof said === 'string' && /rate limit/i.test(said)) {
                return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `GitHub's API rate limit for github-token was exceeded (HTTP 403); the next run tries again.`;
            }
            return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `github-token may not write issues (HTTP 403). Give the job ${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .code */ .aY)('permissions: issues: write')}.`;
        case 404:
            return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `GitHub answered 404 for this repository's issues: the token cannot see the repository (a token of another repository or app?).`;
        case 410:
            if (typeof said === 'string' && /deleted/i.test(said)) {
                return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `the alert issue was deleted while this run updated it (HTTP 410); the next failing run opens a new one.`;
            }
            return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `issues are turned off in this repository (HTTP 410), so there is nowhere to alert. Turn them on under Settings > General > Features, or set ${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .code */ .aY)('alert-issue: false')}.`;
        default:
            return (0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .message */ .iU) `could not update the alert issue (${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__.q)(String(said ?? error))}).`;
    }
}


/***/ })

};
