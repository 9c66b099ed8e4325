export const id = 49;
export const ids = [49];
export const modules = {

/***/ 8049:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   updateAlertIssue: () => (/* binding */ updateAlertIssue)
/* harmony export */ });
/* unused harmony exports ALERT_LABEL, ALERT_TITLE, MAX_ANSWER_BYTES */
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _deadline_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6683);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6670);
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8992);
// The alert issue for scheduled checks: a failed scheduled workflow notifies only whoever last
// edited its cron line, so a failing check opens (or comments on) one issue, and a healthy one
// closes it. Loaded only when alert-issue is on. It runs after the verdict, on a clock of its own.
// GitHub's answers are remote text like Fullstory's: shown only through text.ts and logger.ts, and
// the bodies posted are redacted like every other channel (an issue is masked by nobody).




const ALERT_LABEL = 'fullstory-key-check';
const ALERT_TITLE = 'Fullstory API key check is failing';
/** GitHub's answers to these calls are a few kilobytes: anything near this is not one of them. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
class UnexpectedAnswer extends Error {
}
/**
 * Octokit's fetch, reading each answer at once and at most MAX_ANSWER_BYTES of it (decompressed):
 * parsing a huge answer would hold the event loop past any deadline, a gzip bomb would exhaust
 * memory, and an answer left unread can crash undici (nodejs/undici#5360) once the socket ends.
 */
function cappedFetch(fetch) {
    return async (input, init) => {
        const response = await fetch(input, init);
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
/** An issue number from GitHub's answer, or an error: it goes into a URL and a log line. */
function issueNumber(value) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0)
        return value;
    throw new UnexpectedAnswer();
}
/** The verdict is never changed here. */
async function updateAlertIssue({ logger, token, result, table, env, clock, timeoutMs, fetch: given }) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo) {
        logger.warning('alert-issue is on, but GITHUB_REPOSITORY is not set, so there is no repository to open an issue in.');
        return;
    }
    const run = `[run ${env.GITHUB_RUN_ID ?? ''}](${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''})`;
    // Octokit's own notices (a deprecation, say) quote GitHub's headers: they go to the debug log,
    // redacted, never to stderr. @octokit/request takes its logger from each request's options.
    const log = { debug: logger.debug, info: logger.debug, warn: logger.debug, error: logger.debug };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { log, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) });
    const deadline = new _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .Deadline */ .B2(timeoutMs, clock);
    // Every call carries the signal (so undici drops its socket) and is raced (so nothing outlasts it),
    // through @actions/github's own fetch (which knows the proxy), capped.
    const proxied = octokit.request.endpoint.DEFAULTS.request?.fetch;
    const fetch = cappedFetch(given ?? proxied ?? globalThis.fetch);
    const request = { signal: deadline.signal, log, fetch };
    const post = (body) => _redact_js__WEBPACK_IMPORTED_MODULE_2__/* .secrets */ .O3.redact(body);
    try {
        const { data } = await deadline.race(octokit.rest.issues.listForRepo({ owner, repo, state: 'open', labels: ALERT_LABEL, per_page: 100, request }));
        if (!Array.isArray(data))
            throw new UnexpectedAnswer();
        const found = data.find((issue) => issue.pull_request === undefined && issue.title === ALERT_TITLE);
        const open = found === undefined ? undefined : issueNumber(found.number);
        if (result !== 'match') {
            const report = `The Fullstory API key check failed (${result}) in ${run}.\n\n${table}`;
            if (open === undefined) {
                const body = post(`${report}\n\nEach failing run comments here; the first healthy run closes this issue.`);
                const created = await deadline.race(octokit.rest.issues.create({ owner, repo, title: ALERT_TITLE, body, labels: [ALERT_LABEL], request }));
                logger.info(`Opened alert issue #${issueNumber(created.data.number)}.`);
            }
            else {
                await deadline.race(octokit.rest.issues.createComment({ owner, repo, issue_number: open, body: post(report), request }));
                logger.info(`Commented on alert issue #${open}.`);
            }
        }
        else if (open !== undefined) {
            const body = post(`The Fullstory API keys are healthy again in ${run}.\n\n${table}`);
            await deadline.race(octokit.rest.issues.createComment({ owner, repo, issue_number: open, body, request }));
            await deadline.race(octokit.rest.issues.update({
                owner,
                repo,
                issue_number: open,
                state: 'closed',
                state_reason: 'completed',
                request
            }));
            logger.info(`Closed alert issue #${open}: the keys are healthy again.`);
        }
    }
    catch (error) {
        const { status, message: said } = error;
        logger.warning(error instanceof _deadline_js__WEBPACK_IMPORTED_MODULE_1__/* .TimeUp */ .Lr || deadline.passed
            ? `alert-issue: GitHub's API did not answer within ${timeoutMs / 1000} s, so the alert issue was not updated. The check itself is unaffected.`
            : error instanceof UnexpectedAnswer || error.cause instanceof UnexpectedAnswer
                ? "alert-issue: GitHub's API answered with something other than issues, so the alert issue was not updated. The check itself is unaffected."
                : status === 403
                    ? 'alert-issue: github-token may not write issues (HTTP 403). Give the job `permissions: issues: write`. The check itself is unaffected.'
                    : (0,_text_js__WEBPACK_IMPORTED_MODULE_3__/* .asText */ .e1)((0,_text_js__WEBPACK_IMPORTED_MODULE_3__/* .message */ .iU) `alert-issue: could not update the alert issue (${(0,_text_js__WEBPACK_IMPORTED_MODULE_3__.q)(String(said ?? error))}). The check itself is unaffected.`));
    }
    finally {
        deadline.dispose();
    }
}


/***/ })

};
