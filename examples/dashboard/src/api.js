// The smsbridge API as the dashboard calls it (docs/api.md): login, and the
// reminder calls with the bearer token from the login answer.

/* global SMSBRIDGE_URL */

// loopback tells whether url is on this machine. Only such a URL may come
// from the page's address (?api=, as the browser tests and a sandbox on
// another port use it): a link that pointed a deployed dashboard at
// another server would have the admin type their password into it.
function loopback(url) {
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

const fromPage = new URLSearchParams(window.location.search).get('api');

// apiURL is the smsbridge the page talks to: the one it was built for
// (SMSBRIDGE_URL), or a loopback ?api=URL.
export const apiURL = (fromPage && loopback(fromPage) ? fromPage : SMSBRIDGE_URL).replace(/\/+$/, '');

// APIError carries the API's {error, code} answer.
export class APIError extends Error {
  constructor(status, body) {
    super((body && body.error) || `smsbridge answered ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.body = body || {};
    this.retryAfter = null;
  }
}

async function call(path, { token, body, method = 'POST', headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = 'Bearer ' + token;
  let resp;
  try {
    resp = await fetch(apiURL + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new APIError(0, { error: `smsbridge at ${apiURL} cannot be reached (${e.message}).`, code: 'unreachable' });
  }
  let out = {};
  try {
    out = await resp.json();
  } catch {
    out = {};
  }
  if (!resp.ok) {
    const err = new APIError(resp.status, out);
    err.retryAfter = resp.headers.get('Retry-After');
    throw err;
  }
  return { body: out, headers: resp.headers };
}

// login is POST /admin-login: {adminName, token, streamApiKey, expiresAt},
// and streamBaseUrl in the sandbox only.
export async function login(adminId, password) {
  return (await call('/admin-login', { body: { adminId, password } })).body;
}

export async function templates(token) {
  return (await call('/reminder-templates', { token, method: 'GET' })).body.templates || [];
}

export async function preview(token, req) {
  return (await call('/sms-preview', { token, body: req })).body;
}

// sendReminder sends with an Idempotency-Key: the same key twice (a double
// click, a retry) sends one SMS, and the second answer is the first's,
// marked Idempotent-Replayed.
export async function sendReminder(token, req, key) {
  const { body, headers } = await call('/send-reminder', { token, body: req, headers: { 'Idempotency-Key': key } });
  return { ...body, replayed: headers.get('Idempotent-Replayed') === 'true' };
}

// newKey is a fresh Idempotency-Key for one reminder.
export function newKey() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  const b = new Uint8Array(16);
  window.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
