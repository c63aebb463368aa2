// REST client for /api/v1: bearer token from localStorage, RFC 9457 problems as ApiError.

const TOKEN_KEY = 'keisei.token';
const ME_KEY = 'keisei.me';

function cachedMe() {
  try {
    return localStorage.getItem(TOKEN_KEY) ? JSON.parse(localStorage.getItem(ME_KEY)) : null;
  } catch {
    return null;
  }
}

/** App-wide event bus: 'unauthorized', 'me'. */
export const bus = new EventTarget();

export const auth = {
  token: localStorage.getItem(TOKEN_KEY),
  /** Who the token belongs to; remembered from the last check so a reload renders at once (and is checked again). */
  me: cachedMe(),
  set(token, me) {
    this.token = token;
    this.me = me;
    if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
    if (token && me) localStorage.setItem(ME_KEY, JSON.stringify(me)); else localStorage.removeItem(ME_KEY);
    bus.dispatchEvent(new CustomEvent('me', {detail: me}));
  },
  clear() { this.set(null, null); },
};

/** An error answer: status, the problem document and its field errors ({field, message}). */
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || fallback || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || null;
    this.fieldErrors = (problem && Array.isArray(problem.errors)) ? problem.errors : [];
  }
}

/**
 * Calls the API. `body` is sent as JSON. Answers parsed JSON, text for text/* and null for 204.
 * `token` overrides the stored token (the sign-in page checks a token before keeping it).
 */
export async function api(path, {method = 'GET', body, signal, token} = {}) {
  const headers = {Accept: 'application/json, text/plain;q=0.9, */*;q=0.5'};
  const t = token ?? auth.token;
  if (t) headers.Authorization = 'Bearer ' + t;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, {method, headers, body: payload, signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, 'The gateway cannot be reached');
  }
  if (!res.ok) {
    let problem = null;
    const ct = res.headers.get('content-type') || '';
    try { problem = ct.includes('json') ? await res.json() : {detail: (await res.text()).slice(0, 300)}; } catch { /* none */ }
    if (res.status === 401 && token === undefined) bus.dispatchEvent(new CustomEvent('unauthorized'));
    if (res.status === 429) {
      const after = res.headers.get('Retry-After');
      throw new ApiError(429, problem, `Too many requests${after ? `; retry in ${after} s` : ''}`);
    }
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return null;
  const ct = res.headers.get('content-type') || '';
  if (ct.includes('json')) return res.json();
  return res.text();
}

/** Downloads an authenticated resource as a file (a plain link cannot send the bearer token). */
export async function download(path, fallbackName) {
  const res = await fetch('/api/v1' + path, {headers: {Authorization: 'Bearer ' + auth.token}});
  if (!res.ok) throw new ApiError(res.status, null, `Download failed (HTTP ${res.status})`);
  const disposition = res.headers.get('content-disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(disposition);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? m[1] : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function can(permission) {
  return !!auth.me && Array.isArray(auth.me.permissions) && auth.me.permissions.includes(permission);
}

/** True when the signed-in user may control this session: admin, or the owner with the permission. */
export function canControl(session, permission) {
  if (!can(permission) || !session) return false;
  return auth.me.role === 'admin' || session.owner === auth.me.owner;
}
