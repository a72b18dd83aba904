// Flock REST client: JSON in, JSON out, errors as ApiError built from application/problem+json.

export class ApiError extends Error {
  constructor(status, problem) {
    const p = problem && typeof problem === 'object' ? problem : {};
    super(p.detail || p.title || `Request failed (${status})`);
    this.status = status;
    this.title = p.title || '';
    this.detail = p.detail || '';
    this.fieldErrors = Array.isArray(p.errors) ? p.errors : [];
  }
}

let token = null;
let unauthorized = () => {};

export function setToken(value) { token = value; }
export function onUnauthorized(fn) { unauthorized = fn; }

const enc = encodeURIComponent;

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function call(method, path, { body, auth = true, headers = {} } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const sent = auth ? token : null;
  if (sent) h.Authorization = `Bearer ${sent}`;
  let res;
  try {
    res = await fetch(path, { method, headers: h, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'Could not reach Flock. Check your connection and try again.' });
  }
  let data = null;
  if (res.status !== 204 && (res.headers.get('Content-Type') || '').includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data || { title: res.statusText, detail: `Request failed (${res.status}).` });
    if (res.status === 401 && sent && sent === token) unauthorized(err);
    throw err;
  }
  return data;
}

// Relative paths: the app also works behind a path prefix.
export const Api = {
  signUp: (account) => call('POST', 'api/accounts', { body: account, auth: false }),
  signIn: (username, password) => call('POST', 'api/sessions', { body: { username, password }, auth: false }),
  me: () => call('GET', 'api/accounts/me'),
  account: (username) => call('GET', `api/accounts/${enc(username)}`, { auth: false }),
  follow: (username) => call('PUT', `api/accounts/${enc(username)}/follow`),
  unfollow: (username) => call('DELETE', `api/accounts/${enc(username)}/follow`),
  people: (username, list, cursor) => call('GET', `api/accounts/${enc(username)}/${list}${query({ limit: 100, cursor })}`, { auth: false }),
  post: (text, idempotencyKey) => call('POST', 'api/tweets', { body: { text }, headers: { 'Idempotency-Key': idempotencyKey } }),
  remove: (id) => call('DELETE', `api/tweets/${enc(id)}`),
  tweetsOf: (username, before, limit = 20) => call('GET', `api/accounts/${enc(username)}/tweets${query({ limit, before })}`, { auth: false }),
  home: (before, limit = 20) => call('GET', `api/timeline/home${query({ limit, before })}`),
};
