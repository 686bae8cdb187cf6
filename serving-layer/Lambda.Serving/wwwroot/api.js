// The /v1 HTTP API of the serving layer. The key travels only in the Authorization header:
// URLs end up in logs and browser history, headers do not.

const KEY_SLOT = 'lambda.apiKey';

/** An error answer of the API (ProblemDetails), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

// sessionStorage, not localStorage: the key dies with the tab.
export const apiKey = {
  get: () => sessionStorage.getItem(KEY_SLOT),
  set: (key) => sessionStorage.setItem(KEY_SLOT, key),
  clear: () => sessionStorage.removeItem(KEY_SLOT),
};

async function getJson(path, signal) {
  const key = apiKey.get();
  if (!key) throw new ApiError(401, 'Not signed in');
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' },
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached', e.message);
  }
  if (response.ok) return response.json();
  throw await problemOf(response);
}

// ProblemDetails when the server sent one; the status line otherwise (a proxy's HTML page, say).
async function problemOf(response) {
  let title = response.statusText || `HTTP ${response.status}`;
  let detail = '';
  try {
    const body = await response.json();
    title = body.title || title;
    detail = body.detail || '';
  } catch { /* not JSON */ }
  return new ApiError(response.status, title, detail);
}

/** The caller's campaigns: [{campaign_id, advertiser_id}]. */
export async function listCampaigns(signal) {
  const body = await getJson('/v1/campaigns', signal);
  return body.campaigns;
}

/** Merged metrics of one campaign over [from, to) (Dates) at a granularity. */
export function campaignMetrics(campaignId, from, to, granularity, signal) {
  const query = new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    granularity,
  });
  return getJson(`/v1/campaigns/${encodeURIComponent(campaignId)}/metrics?${query}`, signal);
}

/** Speed partitions, the current batch version, jobs and drift. */
export function status(signal) {
  return getJson('/v1/status', signal);
}
