// The platform's APIs as the pages use them. Reads go straight to the catalog and status services
// (CORS); reports go straight to the three reporting services with the clerk's token.
import { config, state } from './state.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

async function getJson(url, attempts = 4) {
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: 'application/json', 'Accept-Language': state.lang } });
    } catch (e) {
      if (attempt >= attempts) throw new ApiError(0, { detail: String(e) });
      await sleep(1000 * attempt);
      continue;
    }
    if (response.ok) return response.json();
    // 503 while the status stores are not queryable yet: wait as told and try again.
    if (response.status === 503 && attempt < attempts) {
      const after = Number(response.headers.get('Retry-After')) || 2;
      await sleep(Math.min(after, 5) * 1000);
      continue;
    }
    throw new ApiError(response.status, await problem(response));
  }
}

async function problem(response) {
  try {
    return await response.json();
  } catch {
    return { detail: `HTTP ${response.status}` };
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withAsOf(url, asOf = state.asOf) {
  if (!asOf) return url;
  return url + (url.includes('?') ? '&' : '?') + `asOf=${encodeURIComponent(asOf)}`;
}

const enc = encodeURIComponent;
const cached = new Map();

function once(key, load) {
  if (!cached.has(key)) {
    cached.set(key, load().catch((e) => {
      cached.delete(key);
      throw e;
    }));
  }
  return cached.get(key);
}

export const catalog = {
  cases: (batch = state.batch) => once(`cases:${batch}`, () => getJson(`${config.apis.catalog}/api/v1/catalog/cases?batch=${enc(batch)}`)),
  caseById: (id) => once(`case:${id}`, () => getJson(`${config.apis.catalog}/api/v1/catalog/cases/${enc(id)}`)),
  batches: () => once('batches', () => getJson(`${config.apis.catalog}/api/v1/catalog/batches`)),
  domains: () => once('domains', () => getJson(`${config.apis.catalog}/api/v1/catalog/domains`)),
  districts: () => once('districts', async () => (await getJson(`${config.apis.catalog}/api/v1/catalog/districts`))
    .filter((j) => j.level === 'DISTRICT')),
};

export const status = {
  matrix: (batch = state.batch) => getJson(withAsOf(`${config.apis.status}/api/v1/status/matrix?batch=${enc(batch)}`)),
  caseStatus: (id) => getJson(withAsOf(`${config.apis.status}/api/v1/status/cases/${enc(id)}`)),
  district: (code, batch = state.batch) => getJson(withAsOf(`${config.apis.status}/api/v1/status/districts/${enc(code)}?batch=${enc(batch)}`)),
  cell: (caseId, district) => getJson(withAsOf(`${config.apis.status}/api/v1/status/cells/${enc(caseId)}/${enc(district)}`)),
  rollups: (batch = state.batch) => getJson(withAsOf(`${config.apis.status}/api/v1/status/rollups?batch=${enc(batch)}`)),
  streamUrl: () => `${config.apis.status}/api/v1/status/stream`,
};

export const dashboard = {
  recentFeed: () => getJson('/api/feed/recent', 1),
  async signIn(districtCode, agency) {
    const response = await fetch('/api/local/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ districtCode, agency }),
    });
    if (!response.ok) throw new ApiError(response.status, await problem(response));
    return response.json();
  },
  exportUrl(kind, id) {
    const base = kind === 'matrix' ? `/export/matrix.${id}?batch=${enc(state.batch)}` : `/export/cases/${enc(id.caseId)}.${id.format}`;
    return withAsOf(base);
  },
};

const REPORT_PATHS = {
  adoption: (c) => `${c.apis.adoption}/api/v1/adoptions`,
  rollout: (c) => `${c.apis.rollout}/api/v1/rollouts`,
  outcome: (c) => `${c.apis.outcome}/api/v1/outcomes`,
};

/** Reports one event; resolves to the receipt, rejects with ApiError carrying the problem (errors[]). */
export async function report(kind, body, token) {
  let response;
  try {
    response = await fetch(REPORT_PATHS[kind](config), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Accept-Language': state.lang,
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  if (response.status === 202 || response.ok) return response.json();
  throw new ApiError(response.status, await problem(response));
}

/** Uploads a CSV or Excel file to a reporting service's import endpoint. */
export async function importFile(kind, file, mode, token) {
  const form = new FormData();
  form.append('file', file, file.name);
  let response;
  try {
    response = await fetch(`${REPORT_PATHS[kind](config)}/import?mode=${enc(mode)}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': state.lang, Authorization: `Bearer ${token}` },
      body: form,
    });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  if (response.ok) return response.json();
  throw new ApiError(response.status, await problem(response));
}

export function templateUrl(kind) {
  return `${REPORT_PATHS[kind](config)}/template.csv`;
}

// ---- 督办 (supervision) and the notification inbox ----------------------------------------------------

async function send(method, url, body, token) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        Accept: 'application/json',
        'Accept-Language': state.lang,
        Authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  if (response.ok) return response.status === 204 ? null : response.json();
  throw new ApiError(response.status, await problem(response));
}

async function getWithToken(url, token) {
  return send('GET', url, undefined, token);
}

const SUPERVISION_STEPS = {
  assign: '/assignments', assignBatch: '/assignments/batch', acknowledge: '/acknowledgements',
  urge: '/urges', respond: '/responses', review: '/reviews',
};

/** One step of the 督办 chain; resolves to the receipt (202), rejects with ApiError carrying errors[]. */
export function supervise(step, body, token) {
  return send('POST', `${config.apis.supervision}/api/v1/supervision${SUPERVISION_STEPS[step]}`, body, token);
}

export const notifications = {
  list: (token, { page = 0, size = 20, unread = false } = {}) =>
    getWithToken(`${config.apis.notifications}/api/v1/notifications?page=${page}&size=${size}&unread=${unread}`, token),
  markRead: (id, token) => send('POST', `${config.apis.notifications}/api/v1/notifications/${enc(id)}/read`, undefined, token),
};

/** Every supervised cell of the batch with something on it: the status service's to-do view (/api/v1/status/supervision). */
export async function supervisionItems(batch = state.batch, district = null) {
  const query = `batch=${enc(batch)}${district ? `&district=${enc(district)}` : ''}`;
  return getJson(withAsOf(`${config.apis.status}/api/v1/status/supervision?${query}`), 2);
}

export async function signInCityOffice() {
  const response = await fetch('/api/local/sign-in/city-office', { method: 'POST', headers: { Accept: 'application/json' } });
  if (!response.ok) throw new ApiError(response.status, await problem(response));
  return response.json();
}

/** 通报 (status service /api/v1/bulletins) and 考核 (/api/v1/scores): reads open, issuing with the city office's token. */
export const bulletins = {
  preview: (batch, period) => getJson(`${config.apis.status}/api/v1/bulletins/preview?batch=${enc(batch)}&period=${enc(period)}`, 2),
  list: (batch) => getJson(`${config.apis.status}/api/v1/bulletins?batch=${enc(batch)}`, 2),
  version: (batch, period, v) => getJson(`${config.apis.status}/api/v1/bulletins/${enc(batch)}/${enc(period)}/versions/${v}`, 2),
  issue: (body, token) => send('POST', `${config.apis.status}/api/v1/bulletins`, body, token),
  fileUrl: (path) => `${config.apis.status}${path}`,
  previewFileUrl: (batch, period, ext) =>
    `${config.apis.status}/api/v1/bulletins/preview/bulletin.${ext}?batch=${enc(batch)}&period=${enc(period)}`,
  scores: (batch, period) => getJson(`${config.apis.status}/api/v1/scores?batch=${enc(batch)}&period=${enc(period)}`, 2),
  trend: (batch, from, to) => getJson(`${config.apis.status}/api/v1/scores/trend?batch=${enc(batch)}&from=${enc(from)}&to=${enc(to)}`, 2),
};
