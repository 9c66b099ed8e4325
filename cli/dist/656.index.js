export const id = 656;
export const ids = [656];
export const modules = {

/***/ 5656:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EXIT: () => (/* binding */ EXIT),
  main: () => (/* binding */ main),
  print: () => (/* binding */ print),
  unexpected: () => (/* binding */ unexpected)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./node_modules/leven/index.js
var leven = __webpack_require__(7785);
;// CONCATENATED MODULE: ./src/redact.ts
const MIN_FRAGMENT = 8;
const NAMED = {
    amp: '&',
    AMP: '&',
    lt: '<',
    LT: '<',
    gt: '>',
    GT: '>',
    quot: '"',
    QUOT: '"',
    apos: "'",
    sol: '/',
    period: '.',
    plus: '+',
    equals: '=',
    lowbar: '_',
    hyphen: '-',
    dash: '-',
    commat: '@',
    colon: ':',
    excl: '!',
    num: '#',
    dollar: '$',
    percnt: '%',
    ast: '*',
    quest: '?'
};
const ESCAPE = new RegExp([
    String.raw `\\u[\da-fA-F]{4}`,
    String.raw `\\[^u]`,
    String.raw `&#\d{1,7};`,
    String.raw `&#[xX][\da-fA-F]{1,6};`,
    `&(?:${Object.keys(NAMED).join('|')});`,
    String.raw `%[c-dC-D][\da-fA-F]%[89abAB][\da-fA-F]`,
    String.raw `%[eE][\da-fA-F](?:%[89abAB][\da-fA-F]){2}`,
    String.raw `%[fF][0-7](?:%[89abAB][\da-fA-F]){3}`,
    String.raw `%[\da-fA-F]{2}`
].join('|'), 'y');
function decode(unit) {
    if (unit.startsWith('\\u'))
        return String.fromCharCode(parseInt(unit.slice(2), 16));
    if (unit.startsWith('\\'))
        return unit.slice(1);
    if (unit.startsWith('%')) {
        if (unit.length === 3)
            return String.fromCharCode(parseInt(unit.slice(1), 16));
        try {
            return decodeURIComponent(unit);
        }
        catch {
            return undefined;
        }
    }
    const codePoint = (digits, base) => String.fromCodePoint(Math.min(0x10ffff, parseInt(digits, base)));
    if (unit.startsWith('&#x') || unit.startsWith('&#X'))
        return codePoint(unit.slice(3, -1), 16);
    if (unit.startsWith('&#'))
        return codePoint(unit.slice(2, -1), 10);
    return NAMED[unit.slice(1, -1)] ?? unit;
}
function decoded(text, folded, markdown) {
    let seen = '';
    const from = [];
    const to = [];
    for (let i = 0; i < text.length;) {
        ESCAPE.lastIndex = i;
        const plain = !'\\&%'.includes(text[i]) || (!markdown && text[i] === '\\' && (text[i + 1] === '%' || text[i + 1] === '&'));
        let unit = plain ? undefined : ESCAPE.exec(text)?.[0];
        let read = unit === undefined ? undefined : decode(unit);
        if (unit !== undefined && read === undefined)
            read = decode((unit = unit.slice(0, 3)));
        const next = i + (unit?.length ?? 1);
        const units = read === undefined ? folded[i] : asciiFolded(read);
        for (let j = 0; j < units.length; j += 1) {
            from.push(i);
            to.push(next);
        }
        seen += units;
        i = next;
    }
    return { seen, from, to };
}
function base64Forms(value) {
    return [0, 1, 2].map((offset) => {
        const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(value)]);
        const encoded = bytes.toString('base64').replace(/=+$/, '');
        return encoded.slice(Math.ceil((offset * 4) / 3), bytes.length % 3 === 0 ? undefined : -1);
    });
}
const asciiFolded = (text) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
class Redactor {
    pieces = new Map();
    short = [];
    constructor(secrets = []) {
        for (const secret of secrets)
            this.add(secret);
    }
    add({ value, label }) {
        if (value === '')
            return;
        if (value.length < MIN_FRAGMENT)
            this.short.push({ value: asciiFolded(value), label });
        for (const form of [value, ...base64Forms(value)]) {
            const folded = asciiFolded(form);
            for (let i = 0; i + MIN_FRAGMENT <= folded.length; i += 1) {
                const piece = folded.slice(i, i + MIN_FRAGMENT);
                if (!this.pieces.has(piece))
                    this.pieces.set(piece, label);
            }
        }
    }
    clear() {
        this.pieces.clear();
        this.short.length = 0;
    }
    redact(text) {
        if (this.pieces.size === 0 && this.short.length === 0)
            return text;
        const spans = [];
        const folded = asciiFolded(text);
        this.find(folded, (start, end, label) => spans.push({ start, end, label }));
        if (/[\\&%]/.test(text)) {
            for (const markdown of /\\[%&]/.test(text) ? [true, false] : [true]) {
                const { seen, from, to } = decoded(text, folded, markdown);
                this.find(seen, (start, end, label) => spans.push({ start: from[start], end: to[end - 1], label }));
            }
        }
        if (spans.length === 0)
            return text;
        spans.sort((a, b) => a.start - b.start);
        const runs = [];
        for (const { start, end, label } of spans) {
            let run = runs.at(-1);
            if (run === undefined || start > run.end)
                runs.push((run = { start, end, votes: new Map() }));
            run.end = Math.max(run.end, end);
            run.votes.set(label, (run.votes.get(label) ?? 0) + 1);
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
    find(reading, found) {
        for (let i = 0; i + MIN_FRAGMENT <= reading.length; i += 1) {
            const label = this.pieces.get(reading.slice(i, i + MIN_FRAGMENT));
            if (label !== undefined)
                found(i, i + MIN_FRAGMENT, label);
        }
        for (const { value, label } of this.short) {
            for (let i = reading.indexOf(value); i !== -1; i = reading.indexOf(value, i + 1))
                found(i, i + value.length, label);
        }
    }
}
const secrets = new Redactor();

;// CONCATENATED MODULE: ./src/text.ts

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}\u115f\u1160\u3164\uffa0\u2800]/gu;
class Quoted {
    value;
    constructor(value) {
        this.value = value;
    }
}
class Code extends Quoted {
}
function message(strings, ...values) {
    const parts = [];
    strings.forEach((text, i) => {
        parts.push(text);
        if (i >= values.length)
            return;
        const value = values[i];
        if (value instanceof Quoted)
            parts.push(value);
        else if (typeof value === 'string' || typeof value === 'number')
            parts.push(String(value));
        else
            parts.push(...value);
    });
    return parts.filter((part) => part !== '');
}
function q(value) {
    return new Quoted(secrets.redact(kept(value)));
}
function code(value) {
    return new Code(secrets.redact(kept(value)));
}
const MAX_VALUE_LENGTH = 200;
const MAX_KEPT_LENGTH = 2 * MAX_VALUE_LENGTH;
function kept(value) {
    if (value.length <= MAX_KEPT_LENGTH)
        return value;
    const chars = [...value.slice(0, 2 * MAX_KEPT_LENGTH + 1)];
    return chars.length <= MAX_KEPT_LENGTH ? value : `${chars.slice(0, MAX_KEPT_LENGTH).join('')}…`;
}
const unicodeEscape = (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
const ONE_INVISIBLE = new RegExp(`^${INVISIBLE.source}$`, 'u');
function cut(value, max = MAX_VALUE_LENGTH) {
    const chars = [...value];
    const widths = chars.map((c) => (ONE_INVISIBLE.test(c) ? unicodeEscape(c).length : c === '"' || c === '\\' ? 2 : 1));
    if (widths.reduce((sum, width) => sum + width, 0) <= max)
        return value;
    let width = 0;
    const shown = chars.filter((_c, i) => (width += widths[i]) <= max - 1);
    return `${shown.join('')}…`;
}
const MAX_OUTPUT_LENGTH = 64;
function forOutput(value) {
    return cut(value, MAX_OUTPUT_LENGTH);
}
function quote(value) {
    return JSON.stringify(cut(value)).replace(INVISIBLE, unicodeEscape);
}
function isPlain(value) {
    return (value !== '' && !/^\s|\s$|\s\s|[^\S ]|[\p{C}\p{Zl}\p{Zp}]|"/u.test(value) && value.replace(INVISIBLE, '') === value);
}
function cellValue(value) {
    return isPlain(value) && [...value].length <= MAX_VALUE_LENGTH ? value : quote(value);
}
function flat(text) {
    return text.replace(INVISIBLE, (c) => (c === '\ufe0f' ? c : ' '));
}
function asText(parts) {
    return parts.map((part) => (part instanceof Quoted ? quote(part.value) : flat(part))).join('');
}
function asTerminalCell(parts) {
    return parts.map((part) => (part instanceof Quoted ? cellValue(part.value) : flat(part))).join('');
}
function jsonLine(value) {
    return JSON.stringify(value).replace(INVISIBLE, unicodeEscape);
}
function asMarkdown(parts, { cell = false } = {}) {
    return parts
        .map((part) => part instanceof Quoted
        ? codeSpan(cell || part instanceof Code ? cellValue(part.value) : quote(part.value), cell)
        : prose(part))
        .join('');
}
function prose(text) {
    return flat(text).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}
function codeSpan(text, cell) {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(([run]) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
    const body = cell ? text.replace(/\|/g, '\\|') : text;
    return `${fence}${pad}${body}${pad}${fence}`;
}

;// CONCATENATED MODULE: ./src/verdict.ts

const KEYS_PAGE = 'Settings > Integrations > API Keys';
const LEVELS = ['standard', 'architect', 'admin'];
const ROLE_OF_LEVEL = {
    standard: 'USER',
    architect: 'ARCHITECT',
    admin: 'ADMIN'
};
const LEVEL_NAME = {
    standard: 'Standard',
    architect: 'Architect',
    admin: 'Admin'
};
const MATCH_MODES = ['exact', 'at-least'];
const RESULTS = (/* unused pure expression or super */ null && (['match', 'mismatch', 'invalid-key', 'error']));
function parseLevel(text) {
    const wanted = text.trim().toUpperCase();
    return LEVELS.find((level) => level.toUpperCase() === wanted || ROLE_OF_LEVEL[level] === wanted);
}
function levelOfRole(role) {
    return LEVELS.find((level) => ROLE_OF_LEVEL[level] === role);
}
function describeLevel(level) {
    return `${LEVEL_NAME[level]} (role ${ROLE_OF_LEVEL[level]})`;
}
function describeExpectation(policy) {
    const level = describeLevel(policy.expectedLevel);
    return policy.match === 'exact' ? `exactly ${level}` : `at least ${level}`;
}
function rank(level) {
    return LEVELS.indexOf(level);
}
function judge(policy, outcome) {
    if (outcome.kind === 'rejected') {
        return { result: 'invalid-key', problems: [outcome.reason], overPrivileged: false };
    }
    if (outcome.kind === 'failed') {
        return { result: 'error', problems: [outcome.reason], overPrivileged: false, cause: outcome.cause };
    }
    const { me } = outcome;
    const level = levelOfRole(me.role);
    const problems = [];
    let overPrivileged = false;
    let wrongLevel = level === undefined;
    if (level === undefined) {
        problems.push(message `the key's role is ${q(me.role)}, which is not a key permission level (USER, ARCHITECT or ADMIN), so it satisfies no expectation`);
    }
    else {
        const difference = rank(level) - rank(policy.expectedLevel);
        const allowed = policy.match === 'exact' ? difference === 0 : difference >= 0;
        wrongLevel = !allowed;
        if (!allowed) {
            problems.push(message `expected ${describeExpectation(policy)}, but the key is ${describeLevel(level)}`);
        }
        overPrivileged = allowed && difference > 0;
    }
    const wrongOrg = policy.expectedOrgId !== '' && me.orgId !== policy.expectedOrgId;
    if (wrongOrg) {
        problems.push(message `expected org ${q(policy.expectedOrgId)}, but the key belongs to org ${q(me.orgId)}`);
    }
    const verdict = {
        result: problems.length === 0 ? 'match' : 'mismatch',
        me,
        level: level ?? 'unknown',
        problems,
        overPrivileged: problems.length === 0 && overPrivileged
    };
    if (verdict.result === 'mismatch')
        verdict.wrong = { level: wrongLevel, org: wrongOrg };
    return verdict;
}
const ACTION_TERMS = {
    keyValue: "the secret's value",
    update: 'update the secret',
    again: 're-run the job',
    machine: 'the runner'
};
function cliTerms(keySource) {
    return {
        keyValue: keySource === 'FULLSTORY_API_KEY' ? 'the value of FULLSTORY_API_KEY' : keySource,
        update: 'use the new key',
        again: 'run the check again',
        machine: 'this machine'
    };
}
function advice(policy, verdict, terms = ACTION_TERMS) {
    const wanted = `${policy.match === 'exact' ? '' : 'at least '}${LEVEL_NAME[policy.expectedLevel]}`;
    if (verdict.result === 'match' && verdict.overPrivileged) {
        return message `The key has more privilege than this check asks for (${describeExpectation(policy)}). If nothing needs it, create a key of level ${LEVEL_NAME[policy.expectedLevel]} under ${KEYS_PAGE} and ${terms.update} (least privilege).`;
    }
    if (verdict.result === 'invalid-key') {
        return message `Check ${terms.keyValue}, or create a new key under ${KEYS_PAGE}.`;
    }
    if (verdict.result === 'error') {
        return verdict.cause === undefined ? undefined : failureAdvice(verdict.cause, terms);
    }
    if (verdict.result !== 'mismatch')
        return undefined;
    const wrong = verdict.wrong ?? { level: true, org: false };
    const org = q(policy.expectedOrgId);
    if (wrong.level && wrong.org) {
        return message `Create a key of level ${wanted} in org ${org} (signed in to that org, under ${KEYS_PAGE}) and ${terms.update}.`;
    }
    if (wrong.org) {
        return message `The key's level is right but it is from another org: create one in org ${org} (signed in to that org, under ${KEYS_PAGE}) and ${terms.update}, or, if org ${q(verdict.me?.orgId ?? '')} is the one this check should expect, change the expected org id.`;
    }
    return message `Create a key of level ${wanted} under ${KEYS_PAGE} and ${terms.update}.`;
}
const API_URL = 'https://api.fullstory.com';
const secondsOf = (ms) => Math.ceil(ms / 1000);
function failureAdvice(cause, terms = ACTION_TERMS) {
    const proxied = (proxy, direct) => proxy === undefined ? direct : message `Check the proxy in ${proxy}, which this request went through.`;
    switch (cause.kind) {
        case 'status':
            return message `api-url is not Fullstory's API: set it to the API's base URL, ${API_URL} (or your proxy's URL for it), without /me or a version path. A re-run will not help.`;
        case 'redirect':
            return message `/me never redirects: set api-url to the API's base URL, ${API_URL}, as the redirect may point elsewhere (a wrong path, http:// for https://, a sign-in page in between). A re-run will not help.`;
        case 'not-me':
            return message `Check that api-url is the API's base URL, ${API_URL}, and that no proxy or sign-in page answers in its place.`;
        case 'dns':
            return proxied(cause.proxy, message `Check the host name in api-url (${API_URL} serves keys of every realm, na1 and eu1 alike), and that ${terms.machine} can resolve names.`);
        case 'refused':
            return proxied(cause.proxy, message `Nothing accepts connections there: check the host and port in api-url (${API_URL} for Fullstory itself).`);
        case 'protocol':
            return proxied(cause.proxy, cause.plainHttp
                ? message `The server at api-url answers plain HTTP, not TLS: check its scheme and port (https:// on the port that serves TLS; plain http:// is allowed only to a loopback host).`
                : message `Check that api-url is the API's https:// URL, ${API_URL}: the server there offers no TLS this check accepts.`);
        case 'certificate':
            return message `If a proxy or a private CA signs it, give ${terms.machine} that CA with NODE_EXTRA_CA_CERTS.`;
        case 'proxy-variable':
            return cause.unencoded
                ? message `Percent-encode them in ${cause.name} (/ as %2F, ? as %3F, # as %23, \\ as %5C).`
                : message `Fix ${cause.name} (e.g. http://proxy.example:3128) or unset it.`;
        case 'server':
            return message `Fullstory's server errors usually pass: ${terms.again} later.`;
        case 'network':
            return proxied(cause.proxy, message `A dropped connection usually passes: ${terms.again}; if it keeps happening, check the network between ${terms.machine} and api-url.`);
        case 'rate-limit':
            return message `Raise timeout-seconds so that the rate limit can be waited out, or check fewer keys at once.`;
        case 'attempts': {
            const last = failureAdvice(cause.last, terms);
            const transient = cause.last.kind === 'server' || cause.last.kind === 'network';
            return transient && cause.maxAttempts < 10
                ? message `${last} For a scheduled check, raise max-attempts (now ${cause.maxAttempts}) to ride such failures out.`
                : last;
        }
        case 'timeout': {
            const budget = `${cause.budgetMs / 1000} s`;
            if (cause.attempts === 0) {
                return message `Raise timeout-seconds (now ${budget}), or check fewer keys in one step.`;
            }
            const last = cause.last;
            if (last !== undefined && !['server', 'network', 'rate-limit'].includes(last.kind)) {
                return failureAdvice(last, terms);
            }
            if (last?.kind === 'rate-limit') {
                return message `Fullstory's rate limit outlasted the time: raise timeout-seconds (now ${budget}) so that it can be waited out, or check fewer keys at once.`;
            }
            return last === undefined
                ? message `Raise timeout-seconds (now ${budget}) if answers are slow to come (through a proxy, say), or check the network between ${terms.machine} and api-url.`
                : message `Raise timeout-seconds (now ${budget}) to leave time for retries, or ${terms.again} later: ${last.kind === 'server' ? 'server errors' : 'dropped connections'} usually pass.`;
        }
        case 'retry-after': {
            const needed = Math.ceil((cause.elapsedMs + cause.waitMs) / 10_000) * 10;
            const wait = cause.waitMs > 3600_000 ? 'more than an hour' : `${secondsOf(cause.waitMs)} s`;
            return needed > 3600
                ? message `No timeout-seconds holds that wait (it is at most 3600): ${terms.again} after ${wait}, once the limit has passed.`
                : message `Raise timeout-seconds from ${cause.budgetMs / 1000} to at least ${needed} so that the wait fits, or ${terms.again} after ${wait}, once the limit has passed.`;
        }
    }
}
function verdict_passes(failOnMismatch, verdict) {
    if (verdict.result === 'match')
        return true;
    return verdict.result === 'mismatch' && !failOnMismatch && verdict.level !== undefined && verdict.level !== 'unknown';
}
function verdict_worst(results) {
    if (results.length === 0)
        return 'error';
    return results.reduce((a, b) => (RESULTS.indexOf(b) > RESULTS.indexOf(a) ? b : a));
}

;// CONCATENATED MODULE: ./src/inputs.ts



const INPUT_NAMES = (/* unused pure expression or super */ null && ([
    'api-key',
    'expected-level',
    'keys',
    'match',
    'expected-org-id',
    'fail-on-mismatch',
    'api-url',
    'timeout-seconds',
    'max-attempts',
    'alert-issue',
    'check-name',
    'github-token'
]));
const MAX_TIMEOUT_SECONDS = 3600;
const MAX_ATTEMPTS = 10;
const MAX_KEYS = 1000;
const MIN_KEY_LENGTH = 8;
const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'undici', 'fetch', 'stream'];
function debugsNetwork(env) {
    const names = (env.NODE_DEBUG ?? '').toLowerCase().split(/[\s,]+/);
    return names.some((name) => name !== '' && NETWORK_MODULES.some((module) => globMatches(name, module)));
}
function globMatches(pattern, text) {
    let [p, t, star, resume] = [0, 0, -1, 0];
    while (t < text.length) {
        if (pattern[p] === '*')
            [star, resume] = [p++, t];
        else if (p < pattern.length && pattern[p] === text[t])
            [p, t] = [p + 1, t + 1];
        else if (star >= 0)
            [p, t] = [star + 1, ++resume];
        else
            return false;
    }
    while (pattern[p] === '*')
        p += 1;
    return p === pattern.length;
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUNNER_VARIABLE = /^(GITHUB|RUNNER|ACTIONS|INPUT)_/i;
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.map(asText).join('\n'));
        this.problems = problems;
        this.name = 'InputError';
    }
}
function keyVariables(keys) {
    return keys.split('\n').flatMap((text, index) => {
        const name = text.split(':')[0].trim();
        return ENV_NAME.test(name) ? [{ name, line: index + 1 }] : [];
    });
}
function pastedKeys(keys) {
    return keys.split('\n').flatMap((text, index) => {
        const value = text.split(':')[0].trim();
        return isPastedKey(value) ? [{ value, line: index + 1 }] : [];
    });
}
function isPastedKey(name) {
    if (ENV_NAME.test(name) || /\s/.test(name) || name === '')
        return false;
    if (/^(secrets|vars|env)\.[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^[A-Za-z_][A-Za-z0-9_]*=./.test(name))
        return false;
    return /^(na1|eu1)\./i.test(name) || looksLikeSecret(name.replace(/-/g, '_')) || name.length > 40;
}
function looksLikeSecret(name) {
    const mixedCase = /[a-z]/.test(name) && /[A-Z]/.test(name);
    const alternations = name.match(/(?<=[A-Za-z])\d|(?<=\d)[A-Za-z]/g)?.length ?? 0;
    return ((mixedCase && (/\d/.test(name) || name.length >= 16)) ||
        alternations >= 4 ||
        (!name.includes('_') && (name.length >= 24 || (name.length >= 16 && /\d/.test(name)))) ||
        name.length > 40);
}
function shown(value) {
    const parts = value.trim().split(/[\s/?#&=:;@,.]+/);
    return parts.some((part) => part.length >= 12 && looksLikeSecret(part))
        ? message `(not shown: it looks like a key)`
        : message `${q(value)}`;
}
function maskable(value) {
    return value.length >= MIN_KEY_LENGTH && !isLevelWord(value);
}
function parseSettings(raw, env = {}, sources = { apiKey: 'api-key' }) {
    const problems = [];
    const fail = (problem) => {
        problems.push(typeof problem === 'string' ? [problem] : problem);
        return undefined;
    };
    const tokens = [raw['github-token'], env.GITHUB_TOKEN, env.GH_TOKEN].flatMap((token) => token?.trim() || []);
    const keys = parseKeySources(raw, env, fail, sources, tokens);
    const matchText = (raw.match.trim() || 'exact').toLowerCase();
    const match = MATCH_MODES.find((mode) => mode === matchText) ??
        fail(message `match ${shown(raw.match)} is not valid.${didYouMean(raw.match, MATCH_MODES)} Use exact or at-least.`);
    const failOnMismatch = parseBoolean(raw['fail-on-mismatch'], true) ??
        fail(message `fail-on-mismatch ${shown(raw['fail-on-mismatch'])} is not valid.${didYouMean(raw['fail-on-mismatch'], BOOLEANS)} Use true or false.`);
    const meUrl = parseApiUrl(raw['api-url'], fail);
    const timeoutSeconds = parseNumber(raw['timeout-seconds'], 30);
    const timeoutMs = timeoutSeconds !== undefined && timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS
        ? Math.round(timeoutSeconds * 1000)
        : fail(message `timeout-seconds ${shown(raw['timeout-seconds'])} is not valid. Use a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}.`);
    const attempts = parseNumber(raw['max-attempts'], 3);
    const maxAttempts = attempts !== undefined && Number.isInteger(attempts) && attempts >= 1 && attempts <= MAX_ATTEMPTS
        ? attempts
        : fail(message `max-attempts ${shown(raw['max-attempts'])} is not valid. Use a whole number from 1 to ${MAX_ATTEMPTS}.`);
    const alertIssue = parseBoolean(raw['alert-issue'], false) ??
        fail(message `alert-issue ${shown(raw['alert-issue'])} is not valid.${didYouMean(raw['alert-issue'], BOOLEANS)} Use true or false.`);
    if (debugsNetwork(env)) {
        fail("NODE_DEBUG names a network module, so Node would print every request's headers, the key among them. Unset NODE_DEBUG for this step.");
    }
    const checkName = raw['check-name'].trim();
    if (checkName.length > 100 || /[\p{C}]/u.test(checkName)) {
        fail('check-name is not valid: write a short name on one line (at most 100 characters), such as prod or staging.');
    }
    const githubToken = raw['github-token'].trim();
    if (alertIssue && githubToken === '') {
        fail('github-token is empty, and alert-issue needs a token that can write issues. Leave github-token at its default, ${{ github.token }}.');
    }
    if (problems.length > 0 ||
        keys === undefined ||
        match === undefined ||
        failOnMismatch === undefined ||
        meUrl === undefined ||
        timeoutMs === undefined ||
        maxAttempts === undefined ||
        alertIssue === undefined) {
        throw new InputError(problems);
    }
    return {
        keys: keys.specs,
        batch: keys.batch,
        match,
        failOnMismatch,
        meUrl,
        timeoutMs,
        maxAttempts,
        alertIssue,
        checkName,
        githubToken
    };
}
function parseKeySources(raw, env, fail, sources, tokens) {
    const expectedOrgId = raw['expected-org-id'].trim();
    if (expectedOrgId !== '' && !isOrgId(expectedOrgId)) {
        return fail('expected-org-id is not valid (not shown: it may be a key). Write the org id Fullstory shows, such as o-1G1-na1, never a key.');
    }
    const single = raw['api-key'].trim() !== '' || raw['expected-level'].trim() !== '';
    if (raw.keys.trim() !== '') {
        if (single) {
            return fail('Give either api-key with expected-level, or keys, not both: keys checks several keys in one step.');
        }
        const specs = parseKeys(raw.keys, env, expectedOrgId, fail, tokens);
        return specs && { specs, batch: true };
    }
    const apiKey = raw['api-key'].trim();
    const problem = keyProblem(tokens, sources.apiKey, apiKey, message `api-key is empty. Pass the key from a secret, e.g. ${code('api-key: ${{ secrets.FULLSTORY_API_KEY }}')} (or list several keys in keys).`, 'expected-level', sources.instead);
    if (problem !== undefined)
        fail(problem);
    const expectedLevel = raw['expected-level'].trim() === ''
        ? fail(`expected-level is required with ${sources.apiKey}: ${LEVELS.join(', ')}, the level the key must have.`)
        : (parseLevel(raw['expected-level']) ?? fail(invalidLevel('expected-level', raw['expected-level'])));
    if (problem !== undefined || expectedLevel === undefined)
        return undefined;
    return { specs: [{ name: 'api-key', apiKey, expectedLevel, expectedOrgId }], batch: false };
}
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const isOrgId = (text) => ORG_ID.test(text) && !(text.length >= 16 && looksLikeSecret(text));
function parseKeys(text, env, expectedOrgId, fail, tokens) {
    const specs = [];
    let valid = true;
    const reject = (problem) => {
        fail(problem);
        valid = false;
    };
    for (const [index, rawLine] of text.split('\n').entries()) {
        const line = rawLine.replace(/(^|\s)#.*$/, '').trim();
        if (line === '')
            continue;
        const where = `keys line ${index + 1}`;
        const parts = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(\S+)(?:\s+(\S+))?$/.exec(line);
        if (parts === null) {
            reject(keysLineProblem(line, where));
            continue;
        }
        const [, variable, levelText, org] = parts;
        const expectedLevel = parseLevel(levelText);
        const suspect = env[variable] === undefined && looksLikeSecret(variable);
        const name = suspect ? where : variable;
        if (RUNNER_VARIABLE.test(name)) {
            reject(`${where}: ${name} is one of the runner's own variables, not a Fullstory key.`);
        }
        else if (specs.some((spec) => spec.name === name)) {
            reject(`${where}: ${name} is listed twice.`);
        }
        else if (expectedLevel === undefined) {
            reject(invalidLevel(`${where}: the level of ${name},`, levelText));
        }
        else if (org !== undefined && !isOrgId(org)) {
            reject(`${where}: the org id after the level is not valid (not shown: it may be a key). Write an org id such as o-1G1-na1, never a key.`);
        }
        else {
            const apiKey = env[variable]?.trim() ?? '';
            const whenEmpty = suspect
                ? `${where} names no variable of this step's env, and looks like a key itself. Write the name of an env variable that holds the key, e.g. FULLSTORY_INGEST_KEY: standard, never the key.`
                : `${name} is not set or is empty in this step's env. Pass it from a secret, e.g. env: { ${name}: \${{ secrets.${name} }} }, and check that the secret exists under that name.`;
            specs.push({
                name,
                apiKey,
                expectedLevel,
                expectedOrgId: org ?? expectedOrgId,
                problem: keyProblem(tokens, name, apiKey, whenEmpty, 'its keys line, after the name')
            });
        }
    }
    if (valid && specs.length === 0)
        reject('keys has no key lines. Write one key per line as ENV_NAME: level.');
    if (specs.length > MAX_KEYS)
        reject(`keys lists ${specs.length} keys; at most ${MAX_KEYS} are checked in one step.`);
    return valid ? specs : undefined;
}
const KEYS_EXAMPLE = 'FULLSTORY_INGEST_KEY';
const inEnv = (name) => message `${code(`${name}: \${{ secrets.${name} }}`)} in the step's env`;
function keysLineProblem(line, where) {
    const invalid = (why) => message `${where} is not valid: ${why}`;
    const showable = (text) => ENV_NAME.test(text) && !looksLikeSecret(text);
    const colon = line.indexOf(':');
    const name = (colon === -1 ? (line.split(/\s+/)[0] ?? '') : line.slice(0, colon)).trim();
    const after = colon === -1 ? '' : line.slice(colon + 1).trim();
    if (line.startsWith('-')) {
        const inner = line.replace(/^-\s*/, '').split(/[\s:]/)[0] ?? '';
        const meant = parseLevel(after) ?? 'standard';
        const example = showable(inner) ? `${inner}: ${meant}` : `${KEYS_EXAMPLE}: standard`;
        return invalid(message `it starts with a dash, but keys is lines of text, not a YAML list. Write ${code(example)}, without the dash.`);
    }
    if (name === '') {
        return invalid(message `nothing stands before its colon. If it held \${{ secrets.NAME }}, that secret is empty here; and keys takes the name of a variable of the step's env, not the key: write ${code(`${KEYS_EXAMPLE}: standard`)} with ${inEnv(KEYS_EXAMPLE)}.`);
    }
    const expression = /^(secrets|vars|env)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (expression !== null) {
        const variable = showable(expression[2]) ? expression[2] : KEYS_EXAMPLE;
        const context = expression[1];
        return invalid(message `${code(`${context}.${showable(expression[2]) ? variable : 'NAME'}`)} is an expression, but keys takes the name of a variable of the step's env. Write ${code(`${variable}: standard`)}, with ${code(`${variable}: \${{ ${context}.${variable} }}`)} in the step's env.`);
    }
    const assigned = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (colon === -1 && assigned !== null) {
        const variable = showable(assigned[1]) ? assigned[1] : KEYS_EXAMPLE;
        return invalid(message `keys takes a colon after the name, not =. Write ${code(`${variable}: standard`)}.`);
    }
    if (isPastedKey(name)) {
        return invalid(message `what stands where the variable's name belongs looks like a key itself (not shown), as \${{ secrets.NAME }} there would put it. keys takes the name of a variable of the step's env that holds the key: write ${code(`${KEYS_EXAMPLE}: standard`)} with ${inEnv(KEYS_EXAMPLE)}.`);
    }
    if (!ENV_NAME.test(name)) {
        return invalid(message `${colon === -1 ? message `its first word, ${shown(name)},` : shown(name)} is not a variable's name (letters, digits and _, not starting with a digit), and keys takes the name of a variable of the step's env: e.g. ${code(`${KEYS_EXAMPLE}: standard`)}.`);
    }
    const shownName = showable(name) ? name : KEYS_EXAMPLE;
    if (colon === -1 || after === '') {
        return invalid(message `${showable(name) ? q(name) : 'the name'} has no level after a colon. Write ${code(`${shownName}: standard`)} (or architect, admin).`);
    }
    return invalid(message `after the level of ${showable(name) ? q(name) : 'the key'} only an org id may follow (and a # comment), e.g. ${code(`${shownName}: standard ORG_ID`)}.`);
}
const SECRETS_HINT = 'If the secret is set, the usual cause is the trigger: workflows run for pull requests from forks get no secrets, ' +
    'and Dependabot runs see only Dependabot secrets.';
const GITHUB_TOKEN = /^(gh[pousr]_|github_pat_)/;
function keyProblem(tokens, name, apiKey, whenEmpty, levelGoes, instead = 'Pass the secret that holds the Fullstory key.') {
    if (apiKey === '')
        return message `${whenEmpty} ${SECRETS_HINT}`;
    if (GITHUB_TOKEN.test(apiKey) || tokens.includes(apiKey)) {
        return message `${name} holds a GitHub token, not a Fullstory API key, and a GitHub token is never sent to Fullstory. ${instead}`;
    }
    if (/^(["'`]).*\1$/s.test(apiKey) && apiKey.length > 1) {
        return message `${name} is wrapped in quotes, which are no part of a key, so it was not sent. Set it to the key alone, without the quotes.`;
    }
    if (/^["'`]|["'`]$/.test(apiKey)) {
        return message `${name} begins or ends with a quotation mark, which is no part of a key, so it was not sent. Set it to the key alone, exactly as Fullstory showed it.`;
    }
    if (!isKeyText(apiKey)) {
        return message `${name} contains spaces, line breaks or non-ASCII characters inside it. Paste the key exactly as Fullstory showed it.`;
    }
    if (isLevelWord(apiKey)) {
        return message `${name} holds a permission level, not a key: give the key itself there, and the level it must have in ${levelGoes}.`;
    }
    if (apiKey.length < MIN_KEY_LENGTH) {
        const length = `${apiKey.length} character${apiKey.length === 1 ? '' : 's'}`;
        return message `${name} is only ${length} long, too short to be an API key. Paste the whole key as Fullstory showed it.`;
    }
    return undefined;
}
function isKeyText(apiKey) {
    return /^[\x21-\x7e]+$/.test(apiKey);
}
function invalidLevel(what, text) {
    return message `${what} ${shown(text)} is not valid.${didYouMean(text, LEVEL_WORDS)} Use one of ${LEVELS.join(', ')} (case-insensitive; the API role names USER, ARCHITECT and ADMIN are accepted too).`;
}
const LEVEL_WORDS = [...LEVELS, ...LEVELS.map((level) => ROLE_OF_LEVEL[level].toLowerCase())];
const isLevelWord = (text) => LEVEL_WORDS.includes(text.trim().toLowerCase());
const BOOLEANS = ['true', 'false'];
function didYouMean(text, candidates) {
    const typed = text.trim().toLowerCase();
    if (typed === '')
        return '';
    const maxDistance = Math.max(2, Math.floor(typed.length / 3));
    const closest = (0,leven/* closestMatch */.h)(typed, candidates, { maxDistance });
    if (closest === undefined)
        return '';
    const level = LEVELS.find((one) => ROLE_OF_LEVEL[one].toLowerCase() === closest);
    return ` Did you mean ${level ?? closest}?`;
}
function parseBoolean(text, fallback) {
    const value = text.trim();
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    return undefined;
}
function parseNumber(text, fallback) {
    const value = text.trim();
    if (value === '')
        return fallback;
    return /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
function parseApiUrl(text, fail) {
    const value = text.trim() || 'https://api.fullstory.com';
    let base;
    try {
        base = new URL(value);
    }
    catch {
        return fail(message `api-url ${shown(text)} is not a URL. Use https://api.fullstory.com or your proxy's https:// URL.`);
    }
    if (base.username !== '' || base.password !== '') {
        return fail('api-url must not contain a user name or password: the key is the only credential sent.');
    }
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) {
        return fail(message `api-url ${shown(value)} is not allowed: the key may only be sent over https:// (plain http:// only to a loopback host such as 127.0.0.1).`);
    }
    if (base.search !== '' || base.hash !== '') {
        return fail(message `api-url ${shown(value)} must not have a query string or fragment; a path prefix is fine.`);
    }
    base.pathname = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
    return new URL('me', base);
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js
var lib = __webpack_require__(2779);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/proxy.js
var lib_proxy = __webpack_require__(9783);
// EXTERNAL MODULE: ./src/deadline.ts
var src_deadline = __webpack_require__(6683);
// EXTERNAL MODULE: ./src/clock.ts
var src_clock = __webpack_require__(9373);
;// CONCATENATED MODULE: ./src/limiter.ts

const CONCURRENCY = 8;
const START_WINDOW = 2;
const BETA = 0.8;
const CYCLE = 64;
const PROBE_FLOOR = 4;
const PROBE_STEP_MS = 200;
const MIN_RATE = 0.5;
const PACED_SLACK_MS = 25;
const LATE_TIMER_MS = 250;
const JOINED_CLIMB_MS = 4000;
const OPENING_SLACK_MS = 10;
const smoothed = (average, sample) => (average === 0 ? sample : 0.875 * average + 0.125 * sample);
class RateGate {
    keys;
    now;
    remainingMs;
    rate;
    window = START_WINDOW;
    sentInRound = 0;
    lastStart = 0;
    inFlight = [];
    passes = [];
    paced = new Set();
    heldByPace = false;
    nextStart = 0;
    ceiling = 0;
    sinceCut = 0;
    cutAt = Number.NEGATIVE_INFINITY;
    recovering = false;
    probing = false;
    rtt = 0;
    passRtt = 0;
    done = 0;
    lastRetryAfterS = 1;
    firstAnswerAt = Number.POSITIVE_INFINITY;
    openingPassed = false;
    openingRefused = false;
    behind = false;
    dueBack = Number.NEGATIVE_INFINITY;
    pinned = false;
    recoverAfter = Number.NEGATIVE_INFINITY;
    metAtPace = false;
    openingRtts = new Map();
    leastPassRtt = Number.POSITIVE_INFINITY;
    constructor(keys, now = () => performance.now(), remainingMs = () => Number.POSITIVE_INFINITY) {
        this.keys = keys;
        this.now = now;
        this.remainingMs = remainingMs;
    }
    pace() {
        return this.rate;
    }
    waitMs() {
        const now = this.now();
        const held = Math.max(0, this.lastStart + Math.max(1000, 2 * this.rtt) - now);
        if (this.rate === undefined) {
            if (this.window < CONCURRENCY)
                return this.sentInRound < this.window ? 0 : held;
            return this.inFlight.length < CONCURRENCY ? 0 : Number.POSITIVE_INFINITY;
        }
        if (this.recovering && this.inFlight.length > 0 && held > 0)
            return held;
        const cap = Math.max(1, Math.floor(this.rate));
        const recent = [...this.passes, ...this.inFlight]
            .map((sent) => this.countedFrom(sent))
            .filter((at) => at > now - 1000)
            .sort((a, b) => a - b);
        const full = recent.length >= cap ? recent[recent.length - cap] + 1001 - now : 0;
        const recovery = this.recovering ? this.recoverAfter - now : 0;
        const wait = Math.max(0, this.nextStart - now, full, recovery);
        if (wait > 0 && this.nextStart - now >= Math.max(full, recovery))
            this.heldByPace = true;
        return wait;
    }
    started() {
        const now = this.now();
        const late = now - this.nextStart;
        if (this.rate !== undefined &&
            (late <= Math.max(PACED_SLACK_MS, 500 / this.rate) || (this.heldByPace && late <= LATE_TIMER_MS)))
            this.paced.add(now);
        this.heldByPace = false;
        this.inFlight.push(now);
        this.lastStart = now;
        if (this.rate === undefined && this.sentInRound >= this.window)
            this.nextRound();
        this.sentInRound += 1;
        if (this.rate !== undefined)
            this.nextStart = Math.max(now, this.nextStart) + 1000 / this.rate;
        return now;
    }
    passed(sent) {
        const paced = this.paced.delete(sent);
        if (sent < this.firstAnswerAt)
            this.openingPassed = true;
        const now = this.answered(sent);
        const rtt = now - sent;
        this.passRtt = smoothed(this.passRtt, rtt);
        this.leastPassRtt = Math.min(this.leastPassRtt, rtt);
        if (sent < this.firstAnswerAt)
            this.openingRtts.set(sent, rtt);
        this.passes.push(sent);
        if (this.passes.length > 4 * CONCURRENCY)
            this.passes = this.passes.filter((at) => at > now - 10_000);
        this.done += 1;
        if (this.rate === undefined) {
            if (this.window < CONCURRENCY && this.inFlight.length === 0)
                this.nextRound();
            return;
        }
        if (this.recovering) {
            this.recovering = false;
            return;
        }
        if (this.probing) {
            if (!paced)
                return;
            this.pinned = now + (1000 * this.keysLeft()) / this.rate < this.dueBack;
            if (this.pinned)
                return;
            const before = this.rate;
            this.rate *= 2 ** (1 / Math.max(1, (this.rate * Math.max(this.rtt, PROBE_STEP_MS)) / 1000));
            const carried = (2 * CONCURRENCY * 1000) / this.passRtt;
            this.rate = Math.min(this.rate, Math.max(before, PROBE_FLOOR, carried));
            return;
        }
        this.sinceCut += 1;
        const joined = this.joinedSpentLimit() && !this.inFlight.some((at) => at < this.firstAnswerAt);
        const x = Math.max((this.sinceCut - CYCLE) / CYCLE, joined ? (now - this.cutAt - JOINED_CLIMB_MS) / JOINED_CLIMB_MS : -1);
        const left = this.keysLeft() / this.ceiling;
        const endGame = left < this.lastRetryAfterS * 2;
        const worthProbing = left > 2;
        this.rate = Math.max(MIN_RATE, endGame ? BETA * this.ceiling : this.ceiling * (1 + (1 - BETA) * (x > 0 && !worthProbing ? 0 : x ** 3)), this.behind ? Math.floor(this.ceiling) : 0);
    }
    throttled(retryAfterMs, sent) {
        this.paced.delete(sent);
        if (sent < this.firstAnswerAt)
            this.openingRefused = true;
        const now = this.answered(sent);
        this.lastRetryAfterS = retryAfterMs / 1000;
        if (retryAfterMs < this.remainingMs())
            this.dueBack = Math.max(this.dueBack, now + retryAfterMs);
        if (sent <= this.cutAt)
            return;
        this.cutAt = now;
        if (this.rate === undefined) {
            const measured = this.passes.filter((at) => at > sent - 1000).length;
            this.ceiling = Math.max(PROBE_FLOOR, measured);
            this.rate = this.ceiling;
            this.probing = true;
        }
        else if (this.recovering) {
            this.ceiling = this.behind ? Math.min(this.rate, BETA * this.ceiling) : this.rate;
            this.behind = false;
            this.rate = Math.max(MIN_RATE, this.ceiling / 2);
            const gotThrough = this.probing ? this.notRefusedBefore(sent) : 0;
            if (gotThrough > 0) {
                const guessed = Math.max(MIN_RATE, Math.min(this.ceiling, gotThrough / BETA));
                if (!this.outlastsRun(guessed, 0.5)) {
                    this.ceiling = guessed;
                    this.rate = Math.max(MIN_RATE, Math.min(this.rate, BETA * guessed));
                }
            }
            this.probing = false;
        }
        else if (this.probing) {
            const known = this.rtt < 1000 ? this.notRefusedBefore(sent) : this.rate;
            const bracket = Math.min(0.75 * this.rate, Math.max(known, 0.5 * this.rate));
            const grew = this.rate > this.ceiling;
            this.ceiling = Math.max(MIN_RATE, Math.min(bracket, grew ? this.mostCounted(sent, 2 * PROBE_FLOOR) : Number.POSITIVE_INFINITY));
            if (this.pinned && this.dueBack > now) {
                const finishing = (1000 * this.keysLeft()) / (this.dueBack - now);
                this.ceiling = Math.max(this.ceiling, Math.min(0.75 * this.rate, finishing / BETA));
            }
            this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
            this.probing = false;
            this.behind = this.outlastsRun(this.ceiling);
            if (this.behind)
                this.rate = Math.max(this.rate, Math.floor(this.ceiling));
        }
        else {
            this.behind = false;
            const most = this.metAtPace ? Number.POSITIVE_INFINITY : this.mostCounted(sent, PROBE_FLOOR);
            this.metAtPace = true;
            this.ceiling = Math.max(MIN_RATE, Math.min(this.rate, most));
            this.rate = Math.max(MIN_RATE, BETA * this.ceiling);
        }
        this.sinceCut = 0;
        this.recovering = true;
        this.nextStart = now + 1000 / this.rate;
        const lastThrough = Math.max(...this.notRefused(sent));
        this.recoverAfter = this.rate < PROBE_FLOOR ? lastThrough + 1001 : Number.NEGATIVE_INFINITY;
    }
    countedFrom(sent) {
        const rtt = this.openingRtts.get(sent);
        return rtt === undefined ? sent : sent + OPENING_SLACK_MS + Math.max(0, rtt - this.leastPassRtt);
    }
    keysLeft() {
        return this.keys - this.done;
    }
    notRefused(sent) {
        return [...this.passes, ...this.inFlight].filter((at) => at < sent);
    }
    notRefusedBefore(sent, backMs = 1000) {
        return this.notRefused(sent).filter((at) => at > sent - backMs).length;
    }
    joinedSpentLimit() {
        return this.openingRefused && !this.openingPassed;
    }
    mostCounted(sent, slowPace) {
        const counted = this.notRefusedBefore(sent, 1000 + this.rtt / 2);
        return this.rate <= slowPace && counted > 0 && !this.joinedSpentLimit() ? counted + 1 : Number.POSITIVE_INFINITY;
    }
    outlastsRun(ceiling, share = 1) {
        return this.keysLeft() / Math.max(1, Math.floor(BETA * ceiling)) > (share * this.remainingMs()) / 1000;
    }
    nextRound() {
        this.window = Math.min(CONCURRENCY, 2 * this.window);
        this.sentInRound = 0;
    }
    answered(sent) {
        const now = this.now();
        this.firstAnswerAt = Math.min(this.firstAnswerAt, now);
        const at = this.inFlight.indexOf(sent);
        if (at >= 0)
            this.inFlight.splice(at, 1);
        this.rtt = smoothed(this.rtt, now - sent);
        return now;
    }
}
class Gate {
    pace;
    clock;
    waiting = [];
    inFlight = 0;
    cancelTimer = () => undefined;
    constructor(pace, clock = src_clock/* realClock */.d) {
        this.pace = pace;
        this.clock = clock;
    }
    async enter(deadline, { retry = false } = {}) {
        let admit;
        const turn = new Promise((resolve) => (admit = resolve));
        if (retry)
            this.waiting.unshift(admit);
        else
            this.waiting.push(admit);
        this.pump();
        try {
            return await deadline.race(turn);
        }
        finally {
            const at = this.waiting.indexOf(admit);
            if (at >= 0)
                this.waiting.splice(at, 1);
        }
    }
    leave(sent, throttledMs) {
        this.inFlight -= 1;
        if (throttledMs === undefined)
            this.pace.passed(sent);
        else
            this.pace.throttled(throttledMs, sent);
        this.pump();
    }
    pump() {
        this.cancelTimer();
        while (this.waiting.length > 0 && this.inFlight < CONCURRENCY) {
            const wait = this.pace.waitMs();
            if (wait === Number.POSITIVE_INFINITY)
                return;
            if (wait > 0) {
                this.cancelTimer = this.clock.schedule(() => this.pump(), wait);
                return;
            }
            this.inFlight += 1;
            this.waiting.shift()(this.pace.started());
        }
    }
}

;// CONCATENATED MODULE: ./src/version.ts
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/fullstory.ts









const USER_AGENT = `fullstory-key-check/${VERSION}`;
(external_node_tls_default()).DEFAULT_CIPHERS += ':!kDHE';
function keepTlsVerified(env = process.env) {
    const off = process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0' || env.NODE_TLS_REJECT_UNAUTHORIZED === '0';
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    return off;
}
const TLS_KEPT = 'NODE_TLS_REJECT_UNAUTHORIZED=0 is set and is ignored here: the key is sent only over TLS that verifies. ' +
    'If a proxy re-signs TLS with its own CA, give that CA to Node with NODE_EXTRA_CA_CERTS.';
const MAX_BODY_BYTES = 64 * 1024;
const causeOf = (answer) => answer.cause ?? (answer.rateLimited ? { kind: 'rate-limit' } : { kind: 'network' });
function wantsBody(status) {
    return status === 200 || status === 401 || status === 403;
}
function classify(status, headers, body, now) {
    if (status === 200)
        return parseMe(body, headers['content-type']);
    if (status === 401 || status === 403) {
        const detail = errorDetail(body);
        return {
            kind: 'rejected',
            reason: message `Fullstory ${status === 401 ? 'could not verify' : 'refused'} the key (HTTP ${status}${detail}): it is wrong or has been revoked.`
        };
    }
    if (status === 429) {
        return {
            kind: 'retry',
            reason: message `Fullstory rate-limited the check (HTTP 429)`,
            cause: { kind: 'rate-limit' },
            rateLimited: true,
            retryAfterMs: parseRetryAfter(headers['retry-after'], now)
        };
    }
    if (status >= 500 && status <= 599) {
        return {
            kind: 'retry',
            reason: message `Fullstory answered HTTP ${status} (a server error)`,
            cause: { kind: 'server' }
        };
    }
    if (status >= 300 && status <= 399) {
        const location = typeof headers.location === 'string' ? message ` to ${q(headers.location)}` : [];
        return {
            kind: 'failed',
            reason: message `api-url answered with a redirect (HTTP ${status}${location}), which was not followed, so the key went nowhere else.`,
            cause: { kind: 'redirect' }
        };
    }
    return {
        kind: 'failed',
        reason: message `api-url answered HTTP ${status}; only a 200 answer can verify a key.`,
        cause: { kind: 'status', status }
    };
}
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
function parseMe(body, contentType) {
    const notVerified = (why) => ({
        kind: 'failed',
        reason: message `Fullstory answered 200, but ${why}, so the key could not be verified.`,
        cause: { kind: 'not-me' }
    });
    if (!JSON_MEDIA_TYPE.test(contentType ?? '')) {
        return notVerified(contentType === undefined
            ? message `without a content type, not as JSON`
            : message `as ${q(contentType)}, not as JSON`);
    }
    let json;
    try {
        json = JSON.parse(body);
    }
    catch {
        return notVerified(message `the body is not JSON`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        return notVerified(message `the body is not a JSON object`);
    }
    const { email } = json;
    const mail = typeof email === 'string' ? kept(email) : '';
    const creator = new Redactor(mail.trim() === '' ? [] : [{ value: mail.trim(), label: 'the email of the key creator' }]);
    const { role, orgId } = json;
    if (typeof role !== 'string')
        return notVerified(message `without a string "role"`);
    const text = (value) => (typeof value === 'string' ? creator.redact(secrets.redact(kept(value))) : '');
    return { kind: 'answered', me: { role: text(role), orgId: text(orgId), email: mail } };
}
function errorDetail(body) {
    try {
        const fields = JSON.parse(body);
        const said = [fields.message, fields.code].find((field) => typeof field === 'string' && field.trim() !== '');
        return typeof said === 'string' ? message `: ${q(said)}` : [];
    }
    catch {
        return [];
    }
}
function parseRetryAfter(value, now) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (text === undefined || text === '')
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    const date = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/.test(text) ? Date.parse(text) : Number.NaN;
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
class FullstoryKey {
    apiKey;
    signal;
    constructor(apiKey, signal) {
        this.apiKey = apiKey;
        this.signal = signal;
    }
    prepareRequest(options) {
        options.headers = { ...options.headers, authorization: `Basic ${this.apiKey}` };
        options.signal = this.signal;
        if (typeof options.host === 'string')
            options.host = options.host.replace(/^\[(.*)\]$/, '$1');
    }
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        throw new Error('not used');
    }
}
class BodyTooLarge extends Error {
}
async function readBody(message) {
    if (Number(message.headers['content-length']) > MAX_BODY_BYTES)
        throw new BodyTooLarge();
    const chunks = [];
    let size = 0;
    try {
        for await (const chunk of message) {
            size += chunk.length;
            if (size > MAX_BODY_BYTES)
                throw new BodyTooLarge();
            chunks.push(chunk);
        }
    }
    finally {
        message.destroy();
    }
    return Buffer.concat(chunks).toString('utf8');
}
async function requestOnce(request, deadline) {
    const client = new lib/* HttpClient */.Qq(USER_AGENT, [new FullstoryKey(request.apiKey, deadline.signal)], {
        allowRedirects: false,
        allowRetries: false,
        keepAlive: false,
        socketTimeout: deadline.remainingMs() + 1000
    });
    try {
        const response = await deadline.race(client.get(request.meUrl.href, { accept: 'application/json' }));
        const status = response.message.statusCode ?? 0;
        const raw = response.message.rawHeaders;
        const types = raw.filter((_value, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === 'content-type');
        const headers = types.length > 1 ? { ...response.message.headers, 'content-type': types.join(', ') } : response.message.headers;
        let body = '';
        if (wantsBody(status)) {
            body = await deadline.race(readBody(response.message));
        }
        else {
            response.message.destroy();
        }
        return classify(status, headers, body, Date.now());
    }
    catch (error) {
        if (error instanceof BodyTooLarge) {
            return {
                kind: 'failed',
                reason: message `Fullstory's answer is larger than ${MAX_BODY_BYTES / 1024} KiB, which /me never is.`,
                cause: { kind: 'not-me' }
            };
        }
        if (deadline.passed)
            throw new src_deadline/* TimeUp */.Lr();
        const code = networkError(error);
        if (UNTRUSTED_CERTIFICATE.test(asText([code]))) {
            return {
                kind: 'failed',
                reason: message `The TLS certificate of ${request.meUrl.host} is not trusted (${code}), so the key was not sent.`,
                cause: { kind: 'certificate' }
            };
        }
        const proxy = proxyOf(request.meUrl);
        const through = proxy === undefined ? '' : ` through the proxy ${proxy}`;
        return {
            kind: 'retry',
            reason: message `could not reach ${request.meUrl.host}${through}: ${code}`,
            cause: networkCause(error, proxy === undefined ? undefined : proxyVariable(request.meUrl)?.name)
        };
    }
    finally {
        client.dispose();
    }
}
function proxyVariable(url) {
    const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const name = names.find((one) => process.env[one]);
    if (name === undefined || (0,lib_proxy/* checkBypass */.H)(url))
        return undefined;
    return { name, value: process.env[name] };
}
const withoutScheme = (value) => value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
function credentials(value) {
    const rest = withoutScheme(value);
    const at = rest.lastIndexOf('@');
    return at === -1 ? undefined : rest.slice(0, at);
}
function proxyCredentials(env = process.env) {
    return ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].flatMap((name) => {
        const value = (env[name] ?? '').trim();
        const found = credentials(value);
        if (found === undefined || found === '')
            return [];
        const sent = sentCredentials(value);
        const forms = sent === undefined || sent === found ? [found] : [found, sent];
        return forms.filter((form) => form.length >= MIN_KEY_LENGTH);
    });
}
function sentCredentials(value) {
    for (const candidate of [value, `http://${value}`]) {
        try {
            const url = new URL(candidate);
            const [user, password] = [decodeURIComponent(url.username), decodeURIComponent(url.password)];
            return user === '' && password === '' ? undefined : `${user}:${password}`;
        }
        catch {
            if (value.startsWith('http://') || value.startsWith('https://'))
                return undefined;
        }
    }
    return undefined;
}
function proxyHost(value) {
    const rest = withoutScheme(value);
    return rest.slice(rest.lastIndexOf('@') + 1).split(/[/?#\\]/)[0];
}
function unreadableProxy(url) {
    const proxy = proxyVariable(url);
    if (proxy === undefined)
        return undefined;
    const { name, value } = proxy;
    const authority = withoutScheme(value).split(/[/?#\\]/)[0];
    if (credentials(value) !== undefined && !authority.includes('@')) {
        return {
            reason: message `${name} has a /, ?, # or \\ in its user name or password that is not percent-encoded, so the proxy it names cannot be read, and the key was not sent.`,
            cause: { kind: 'proxy-variable', name, unencoded: true }
        };
    }
    try {
        const parsed = (0,lib_proxy/* getProxyUrl */.s)(url);
        if (parsed !== undefined && ['http:', 'https:'].includes(parsed.protocol) && parsed.hostname !== '') {
            return undefined;
        }
    }
    catch {
    }
    return {
        reason: message `${name} is set but is not an http:// or https:// URL, so the key was not sent: the request would have gone around the proxy.`,
        cause: { kind: 'proxy-variable', name, unencoded: false }
    };
}
function networkCause(error, proxy) {
    const { code, message: said } = error;
    const through = proxy === undefined ? {} : { proxy };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return { kind: 'dns', ...through };
    if (code === 'ECONNREFUSED')
        return { kind: 'refused', ...through };
    if (code === 'EPROTO' || (typeof code === 'string' && code.startsWith('ERR_SSL_'))) {
        const plainHttp = typeof said === 'string' && /wrong version number|packet length too long/i.test(said);
        return { kind: 'protocol', plainHttp, ...through };
    }
    return { kind: 'network', ...through };
}
function proxyOf(url) {
    const proxy = proxyVariable(url);
    return proxy === undefined ? undefined : proxyHost(proxy.value) || undefined;
}
const UNTRUSTED_CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/;
function networkError(error) {
    const { code, message: text } = error;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code))
        return code;
    return q(typeof text === 'string' ? text : String(error));
}
function seconds(ms) {
    return ms > 3600_000 ? 'more than an hour' : `${Math.ceil(ms / 1000)} s`;
}
function count(n, noun) {
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
function backoffMs(attempt, random = Math.random) {
    const ceiling = Math.min(8000, 500 * 2 ** (attempt - 1));
    return ceiling / 2 + random() * (ceiling / 2);
}
async function fetchMe(request, deadline, gate = new Gate(new RateGate(1, () => deadline.clock.now()), deadline.clock), send = requestOnce) {
    const budget = deadline.budgetMs / 1000;
    const failed = (reason, cause, requests) => ({
        kind: 'failed',
        reason,
        cause,
        attempts: requests
    });
    let last;
    const timedOut = (requests) => {
        const cause = { kind: 'timeout', budgetMs: deadline.budgetMs, attempts: requests };
        if (last !== undefined)
            cause.last = causeOf(last);
        return requests === 0
            ? failed(message `Not checked within timeout-seconds (${budget} s): the step's time ran out before this key's turn.`, cause, 0)
            : failed(message `Could not verify the key: no answer within timeout-seconds (${budget} s, ${count(requests, 'attempt')}).${last === undefined || last.reason.length === 0 ? '' : message ` The last failure: ${last.reason}.`}`, cause, requests);
    };
    const proxyProblem = unreadableProxy(request.meUrl);
    if (proxyProblem !== undefined)
        return failed(proxyProblem.reason, proxyProblem.cause, 0);
    let requests = 0;
    let failures = 0;
    let throttles = 0;
    for (;;) {
        if (deadline.passed)
            return timedOut(requests);
        let sent;
        try {
            sent = await gate.enter(deadline, { retry: requests > 0 });
        }
        catch {
            return timedOut(requests);
        }
        requests += 1;
        let answer;
        try {
            answer = await send(request, deadline);
        }
        catch {
            gate.leave(sent);
            return timedOut(requests);
        }
        if (answer.kind === 'retry' && answer.rateLimited) {
            throttles += 1;
            last = answer;
            const wait = answer.retryAfterMs ?? backoffMs(throttles);
            gate.leave(sent, wait);
            const left = deadline.remainingMs();
            if (wait >= left) {
                return failed(message `Could not verify the key: ${answer.reason} and asked to retry after ${seconds(wait)}, more than is left of timeout-seconds (${budget} s).`, { kind: 'retry-after', waitMs: wait, elapsedMs: deadline.budgetMs - left, budgetMs: deadline.budgetMs }, requests);
            }
            try {
                await deadline.sleep(wait);
            }
            catch {
                return timedOut(requests);
            }
            continue;
        }
        gate.leave(sent);
        if (answer.kind !== 'retry')
            return { ...answer, attempts: requests };
        last = answer;
        failures += 1;
        if (failures >= request.maxAttempts) {
            return failed(message `Could not verify the key after ${count(requests, 'attempt')}: ${answer.reason}.`, { kind: 'attempts', maxAttempts: request.maxAttempts, last: causeOf(answer) }, requests);
        }
        const wait = backoffMs(failures);
        if (wait >= deadline.remainingMs())
            return timedOut(requests);
        try {
            await deadline.sleep(wait);
        }
        catch {
            return timedOut(requests);
        }
    }
}

;// CONCATENATED MODULE: ./src/check.ts



async function checkKeys(settings, deadline, send = requestOnce, pace = new RateGate(settings.keys.length, () => deadline.clock.now(), () => deadline.remainingMs())) {
    const gate = new Gate(pace, deadline.clock);
    return Promise.all(settings.keys.map(async (key) => {
        if (key.problem !== undefined)
            return { key, verdict: unchecked(key.problem), attempts: 0 };
        const { meUrl, maxAttempts } = settings;
        const outcome = await fetchMe({ meUrl, apiKey: key.apiKey, maxAttempts }, deadline, gate, send);
        return { key, verdict: judge(policyOf(settings, key), outcome), attempts: outcome.attempts };
    }));
}
function unchecked(problem) {
    return { result: 'error', problems: [problem], overPrivileged: false, inputProblem: true };
}
function policyOf(settings, key) {
    return { expectedLevel: key.expectedLevel, match: settings.match, expectedOrgId: key.expectedOrgId };
}
function overallResult(checked) {
    return worst(checked.map(({ verdict }) => verdict.result));
}
function allPass(settings, checked) {
    return checked.length > 0 && checked.every(({ verdict }) => passes(settings.failOnMismatch, verdict));
}

;// CONCATENATED MODULE: ./src/keys.ts
function describeKey(given) {
    const apiKey = given.replace(/^(["'`])(.*)\1$/s, '$2');
    const realm = /^(na1|eu1)/.exec(apiKey)?.[1];
    const suffix = apiKey.length >= 16 ? `…${apiKey.slice(-4)}` : '…';
    return realm === undefined ? suffix : `${realm} ${suffix}`;
}
function keyLabel(batch, key) {
    const described = key.apiKey === '' ? 'not set' : describeKey(key.apiKey);
    return batch ? `${key.name} (${described})` : described;
}

;// CONCATENATED MODULE: ./src/table.ts



const HEADER = ['Key', 'Org', 'Role', 'Level', 'Expected', 'Verdict'];
const VERDICT_TEXT = {
    match: '✅ match',
    mismatch: '❌ mismatch',
    'invalid-key': '❌ invalid key',
    error: '❌ could not verify'
};
function verdictText(settings, verdict) {
    if (verdict.inputProblem)
        return '❌ not checked: fix the input';
    if (verdict.overPrivileged)
        return '⚠️ match (over-privileged)';
    return verdict.result === 'mismatch' && verdict_passes(settings.failOnMismatch, verdict)
        ? '⚠️ mismatch (allowed)'
        : VERDICT_TEXT[verdict.result];
}
function tableRow(settings, checked) {
    const { key, verdict } = checked;
    const me = verdict.me;
    const org = key.expectedOrgId === '' ? [] : message `, org ${q(key.expectedOrgId)}`;
    return [
        [keyLabel(settings.batch, key)],
        me === undefined || me.orgId === '' ? ['—'] : [q(me.orgId)],
        me === undefined ? ['—'] : [q(me.role)],
        [verdict.level ?? '—'],
        message `${key.expectedLevel} (${settings.match})${org}`,
        [verdictText(settings, verdict)]
    ];
}

;// CONCATENATED MODULE: ./src/cli.ts












const EXIT = {
    match: 0,
    mismatch: 1,
    usage: 2,
    'invalid-key': 3,
    error: 4,
    interrupted: 130
};
const USAGE = `Usage: fullstory-key-check --expected-level LEVEL [options]

Checks a Fullstory server API key with GET /me: is it valid, and does it have the permission
level you expect? The key is read from the FULLSTORY_API_KEY environment variable, or else from
standard input (a hidden prompt on a terminal). It is never taken as an argument: arguments end
up in shell history and process lists.

Options:
  --expected-level LEVEL    standard, architect or admin (or USER, ARCHITECT, ADMIN). Required.
  --match MODE              exact (default): the level must be exactly LEVEL, so an over-privileged
                            key fails; at-least: LEVEL or higher.
  --expected-org-id ID      the key must also belong to this Fullstory org.
  --api-url URL             default https://api.fullstory.com (https only, except loopback).
  --timeout-seconds N       the whole time budget, retries included (default 30).
  --max-attempts N          tries at most after server or network errors (default 3); a rate
                            limit (429) is waited out within --timeout-seconds, not counted.
  --json                    print one JSON object instead of the table; its fields are spelled
                            as the action's outputs: result, matches, key, role, level, org-id,
                            expected, over-privileged, problems, advice.
  -h, --help                print this help.
  --version                 print the version.

Exit codes:
  0  the key matches
  1  the key works but does not match (level or org)
  2  usage error (bad arguments, no key)
  3  invalid key: Fullstory rejected it (401 or 403)
  4  could not verify: network, timeout, rate limit, server error, malformed answer
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number

Examples:
  read -rs FULLSTORY_API_KEY && export FULLSTORY_API_KEY
  npx fullstory-key-check --expected-level standard
  fullstory-key-check --expected-level architect --json < key.txt

Colour is used only on a terminal, and never when NO_COLOR is set.
`;
class UsageError extends Error {
}
class Interrupted extends Error {
}
const OPTIONS = {
    'expected-level': { type: 'string' },
    match: { type: 'string' },
    'expected-org-id': { type: 'string' },
    'api-url': { type: 'string' },
    'timeout-seconds': { type: 'string' },
    'max-attempts': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean' }
};
const OPTION_FLAGS = Object.keys(OPTIONS).map((name) => `--${name}`);
function print(stream, text) {
    stream.write(secrets.redact(text));
}
async function main(io) {
    if (keepTlsVerified(io.env))
        print(io.stderr, `fullstory-key-check: warning: ${TLS_KEPT}\n`);
    for (const value of proxyCredentials(io.env))
        secrets.add({ value, label: "the proxy's user and password" });
    try {
        if (io.argv.some((arg) => /^--?(api[-_]?)?key(=|$)/i.test(arg))) {
            throw new UsageError('--api-key is not accepted: arguments are kept in shell history and shown in process lists. ' +
                'Set FULLSTORY_API_KEY, or pipe the key on standard input, or type it at the hidden prompt.');
        }
        let values;
        try {
            ({ values } = (0,external_node_util_.parseArgs)({ args: io.argv, options: OPTIONS, strict: true, allowPositionals: false }));
        }
        catch (error) {
            throw new UsageError(argumentProblem(error));
        }
        if (values.help) {
            io.stdout.write(USAGE);
            return EXIT.match;
        }
        if (values.version) {
            io.stdout.write(`${VERSION}\n`);
            return EXIT.match;
        }
        if (values['expected-level'] === undefined)
            throw new UsageError('--expected-level is required (standard, architect or admin).');
        const fromEnv = (io.env.FULLSTORY_API_KEY ?? '').trim();
        const apiKey = fromEnv || (await readKey(io));
        if (maskable(apiKey))
            secrets.add({ value: apiKey, label: describeKey(apiKey) });
        const source = fromEnv !== ''
            ? 'FULLSTORY_API_KEY'
            : io.stdin.isTTY
                ? 'the key typed at the prompt'
                : 'the key on standard input';
        if (apiKey === '') {
            throw new UsageError('No key: set FULLSTORY_API_KEY, or pipe the key on standard input, or run on a terminal to be prompted.');
        }
        const raw = {
            'api-key': apiKey,
            'expected-level': values['expected-level'],
            keys: '',
            match: values.match ?? '',
            'expected-org-id': values['expected-org-id'] ?? '',
            'fail-on-mismatch': 'true',
            'api-url': values['api-url'] ?? '',
            'timeout-seconds': values['timeout-seconds'] ?? '',
            'max-attempts': values['max-attempts'] ?? '',
            'alert-issue': 'false',
            'check-name': '',
            'github-token': ''
        };
        let settings;
        try {
            settings = parseSettings(raw, io.env, { apiKey: source, instead: 'Give the Fullstory key instead.' });
        }
        catch (error) {
            if (error instanceof InputError) {
                throw new UsageError(error.problems.map((problem) => asText(asOptions(problem))).join('\n'));
            }
            throw error;
        }
        const terms = cliTerms(source);
        const deadline = new src_deadline/* Deadline */.B2(settings.timeoutMs, io.clock ?? src_clock/* realClock */.d);
        const [checked] = await checkKeys(settings, deadline, io.send ?? requestOnce).finally(() => deadline.dispose());
        const result = checked.verdict.result;
        if (values.json) {
            print(io.stdout, `${jsonLine(asJson(settings, checked, terms))}\n`);
        }
        else {
            const todo = advice(policyOf(settings, checked.key), checked.verdict, terms);
            const notes = [...checked.verdict.problems.map((problem) => `- ${asText(asOptions(problem))}`)];
            if (todo !== undefined)
                notes.push(asText(asOptions(todo)));
            print(io.stdout, render([...HEADER], tableRow(settings, checked), notes, useColour(io) ? result : undefined));
        }
        return EXIT[result];
    }
    catch (error) {
        if (error instanceof Interrupted)
            return EXIT.interrupted;
        if (error instanceof UsageError) {
            print(io.stderr, `fullstory-key-check: ${error.message}\nSee fullstory-key-check --help.\n`);
            return EXIT.usage;
        }
        print(io.stderr, unexpected(error));
        return EXIT.error;
    }
}
const SETTING = /(?<![\w-])(expected-level|expected-org-id|api-url|timeout-seconds|max-attempts)(?![\w-])/g;
function asOptions(parts) {
    return parts.map((part, i) => {
        if (typeof part !== 'string')
            return part;
        const renamed = part.replace(SETTING, '--$1');
        return i === 0 ? renamed.replace(/^match(?= )/, '--match') : renamed;
    });
}
function argumentProblem(error) {
    if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
        return ('this command takes options only, and was given an argument that is none (not shown: it may be a key). ' +
            'Give the key in FULLSTORY_API_KEY or on standard input.');
    }
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
        const option = /'(.*?)'/.exec(error.message)?.[1] ?? '';
        if (!/^--?[a-z][a-z_-]{0,30}$/i.test(option))
            return 'Unknown option (not shown: it may be a key).';
        return `Unknown option '${option}'.${suggestOption(option)}`;
    }
    return asText([error.message]);
}
function suggestOption(option) {
    const typo = didYouMean(option, OPTION_FLAGS);
    if (typo !== '')
        return typo;
    const letters = (text) => text.replace(/^-+/, '').replace(/[-_]/g, '').toLowerCase();
    const typed = letters(option);
    if (typed.length < 3)
        return '';
    const found = OPTION_FLAGS.filter((flag) => {
        const whole = letters(flag);
        return whole === typed || whole.endsWith(typed) || whole.startsWith(typed);
    });
    return found.length === 1 ? ` Did you mean ${found[0]}?` : '';
}
function unexpected(error) {
    const text = String(error?.message ?? error);
    return `${asText(message `fullstory-key-check: unexpected error, so the key is not verified: ${text}`)}\n`;
}
function asJson(settings, { key, verdict }, terms) {
    const { match } = settings;
    const todo = advice(policyOf(settings, key), verdict, terms);
    return {
        result: verdict.result,
        matches: verdict.result === 'match',
        key: describeKey(key.apiKey),
        role: verdict.me?.role ?? null,
        level: verdict.level ?? null,
        'org-id': verdict.me?.orgId ?? null,
        expected: { level: key.expectedLevel, match, 'org-id': key.expectedOrgId === '' ? null : key.expectedOrgId },
        'over-privileged': verdict.overPrivileged,
        problems: verdict.problems.map((problem) => asText(asOptions(problem))),
        advice: todo === undefined ? null : asText(asOptions(todo))
    };
}
const COLOUR = { match: '32', mismatch: '31', 'invalid-key': '31', error: '33' };
function render(header, row, notes, colour) {
    const cells = row.map(asTerminalCell);
    const widths = header.map((title, i) => Math.max(title.length, cells[i].length));
    const line = (values) => values
        .map((value, i) => value.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    let verdict = line(cells);
    if (colour !== undefined)
        verdict = `\u001b[${COLOUR[colour]}m${verdict}\u001b[0m`;
    return [line(header), verdict, ...notes, ''].join('\n');
}
function useColour({ stdout, env }) {
    return stdout.isTTY === true && (env.NO_COLOR ?? '') === '';
}
async function readKey({ stdin, stderr }) {
    if (stdin.isTTY)
        return promptHidden(stdin, stderr);
    let text = '';
    for await (const chunk of stdin.setEncoding('utf8')) {
        text += chunk;
        if (text.length > 64 * 1024)
            throw new UsageError('Standard input is larger than any key: pipe only the key.');
    }
    return text.trim();
}
function promptHidden(stdin, stderr) {
    stdin.setRawMode(true);
    stderr.write('Fullstory API key (input hidden): ');
    stdin.setEncoding('utf8');
    stdin.resume();
    return new Promise((resolve, reject) => {
        let typed = '';
        const finish = (done) => {
            stdin.off('data', onData);
            stdin.setRawMode(false);
            stdin.pause();
            stderr.write('\n');
            done();
        };
        const onData = (chunk) => {
            for (const char of chunk) {
                if (char === '\r' || char === '\n' || char === '\u0004')
                    return finish(() => resolve(typed.trim()));
                if (char === '\u0003')
                    return finish(() => reject(new Interrupted()));
                typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
            }
        };
        stdin.on('data', onData);
    });
}


/***/ })

};
