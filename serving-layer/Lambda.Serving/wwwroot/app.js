// The dashboard: sign-in, the campaign list, and for the selected campaign the merged metrics
// (charts, totals) and the freshness of both layers, refreshed every few seconds.

import { ApiError, apiKey, campaignMetrics, listCampaigns, status } from './api.js';
import { drawCountsChart, drawUniquesChart } from './chart.js';
import { formatAge, formatInteger, formatPercent, formatSpend, formatTime } from './format.js';

const REFRESH_MS = 5_000;
const RANGE_MS = { '6h': 6 * 3_600_000, '24h': 24 * 3_600_000, '7d': 7 * 86_400_000 };
const DEFAULT_GRANULARITY = { '6h': 'minute', '24h': 'hour', '7d': 'hour' };
const STEP_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
// Lag (records behind the log end) above which the freshness panel turns amber.
const LAG_WARNING = 10_000;

const $ = (id) => document.getElementById(id);
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const state = {
  campaigns: [],
  selected: null,
  range: '6h',
  granularity: 'minute',
  paused: false,
  timer: 0,
  inflight: null,   // AbortController of the refresh under way
  lastMetrics: null,
};

// ---- view switching and errors ----

function showSignIn(message) {
  stopRefresh();
  state.selected = null;
  $('dashboard-view').hidden = true;
  $('session-actions').hidden = true;
  $('sign-in-view').hidden = false;
  const error = $('sign-in-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('api-key').value = '';
  $('api-key').focus();
}

function showDashboard() {
  $('sign-in-view').hidden = true;
  $('dashboard-view').hidden = false;
  $('session-actions').hidden = false;
}

function showError(error) {
  const box = $('error');
  if (!error) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.textContent = error instanceof ApiError && error.status
    ? `${error.message} (HTTP ${error.status})`
    : error.message;
}

/** Handles a failed call: a rejected key returns to the prompt, anything else is shown. */
function fail(error) {
  if (error.name === 'AbortError') return;
  if (error instanceof ApiError && error.status === 401) {
    apiKey.clear();
    showSignIn('The API key was not accepted. Enter a valid key.');
    return;
  }
  showError(error);
}

// ---- campaigns ----

async function loadCampaigns() {
  showDashboard();
  try {
    state.campaigns = await listCampaigns();
  } catch (error) {
    fail(error);
    return;
  }
  showError(null);
  renderCampaigns();
  const wanted = readHash().campaign;
  const initial = state.campaigns.find((c) => c.campaign_id === wanted) ?? state.campaigns[0];
  if (initial) selectCampaign(initial.campaign_id);
}

function renderCampaigns() {
  const list = $('campaign-list');
  list.replaceChildren();
  for (const campaign of state.campaigns) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'campaign';
    button.dataset.testid = 'campaign';
    button.dataset.campaignId = campaign.campaign_id;
    button.textContent = campaign.campaign_id;
    button.title = `${campaign.campaign_id} (advertiser ${campaign.advertiser_id})`;
    button.addEventListener('click', () => selectCampaign(campaign.campaign_id));
    item.appendChild(button);
    list.appendChild(item);
  }
  $('campaign-empty').hidden = state.campaigns.length > 0;
}

function selectCampaign(campaignId) {
  state.selected = campaignId;
  state.lastMetrics = null;
  for (const button of $('campaign-list').querySelectorAll('button')) {
    if (button.dataset.campaignId === campaignId) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
  $('campaign-title').textContent = campaignId;
  // A long id is cut with an ellipsis; the whole id shows on hover.
  $('campaign-title').title = campaignId;
  $('campaign-view').hidden = false;
  $('no-selection').hidden = true;
  writeHash();
  refresh();
}

// ---- range, granularity and the URL hash (never the key) ----

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { campaign: params.get('c'), range: params.get('r'), granularity: params.get('g') };
}

function writeHash() {
  const params = new URLSearchParams({ c: state.selected ?? '', r: state.range, g: state.granularity });
  history.replaceState(null, '', `#${params}`);
}

function setRange(range, granularity) {
  state.range = RANGE_MS[range] ? range : '6h';
  state.granularity = STEP_MS[granularity] ? granularity : DEFAULT_GRANULARITY[state.range];
  // A week of minutes is 10,080 buckets: more than a chart can show, and a heavy query.
  if (state.range === '7d' && state.granularity === 'minute') state.granularity = 'hour';
  $(`range-${state.range}`).checked = true;
  $('granularity').value = state.granularity;
  $('granularity').querySelector('option[value="minute"]').disabled = state.range === '7d';
}

/** [from, to) ending at the end of the current bucket, so the bucket under way is included. */
function currentWindow() {
  const step = STEP_MS[state.granularity];
  const to = Math.ceil((Date.now() + 1) / step) * step;
  const from = Math.floor((to - RANGE_MS[state.range]) / step) * step;
  return [new Date(from), new Date(to)];
}

// ---- refresh loop ----

function stopRefresh() {
  clearTimeout(state.timer);
  state.inflight?.abort();
  state.inflight = null;
}

function scheduleRefresh() {
  clearTimeout(state.timer);
  if (!state.paused) state.timer = setTimeout(refresh, REFRESH_MS);
}

async function refresh() {
  stopRefresh();
  if (!state.selected) return;
  // A background tab polls nothing; it catches up when shown again (see wire()).
  if (document.hidden) return;
  const controller = new AbortController();
  state.inflight = controller;
  const campaignId = state.selected;
  const [from, to] = currentWindow();
  const [metrics, platform] = await Promise.allSettled([
    campaignMetrics(campaignId, from, to, state.granularity, controller.signal),
    status(controller.signal),
  ]);
  // A newer refresh (another campaign or range) replaced this one while it waited.
  if (controller.signal.aborted) return;
  state.inflight = null;

  if (metrics.status === 'rejected') {
    fail(metrics.reason);
  } else {
    showError(null);
    state.lastMetrics = metrics.value;
    renderMetrics(metrics.value);
  }
  // Status is secondary: when it fails the charts still show, with the reason in its place.
  renderFreshness(state.lastMetrics, platform.status === 'fulfilled' ? platform.value : null,
    platform.status === 'rejected' ? platform.reason : null);
  if (platform.status === 'rejected' && platform.reason instanceof ApiError && platform.reason.status === 401) {
    fail(platform.reason);
    return;
  }
  renderRefreshState();
  if (!$('sign-in-view').hidden) return;
  scheduleRefresh();
}

function renderRefreshState() {
  const now = new Date();
  const time = now.toISOString().slice(11, 19);
  byTestId('refreshed-at').textContent = state.paused ? `Paused · updated ${time} UTC` : `Live · updated ${time} UTC`;
}

// ---- rendering ----

function setText(testId, text, value) {
  const node = byTestId(testId);
  node.textContent = text;
  if (value !== undefined) node.dataset.value = value ?? '';
}

function renderMetrics(answer) {
  $('campaign-range').textContent =
    `${formatTime(answer.from)} – ${formatTime(answer.to)} · per ${answer.granularity}`;
  const t = answer.totals;
  setText('total-impressions', formatInteger(t.impressions), t.impressions);
  setText('total-views', formatInteger(t.views), t.views);
  setText('total-clicks', formatInteger(t.clicks), t.clicks);
  setText('total-ctr', formatPercent(t.ctr), t.ctr);
  setText('total-spend', formatSpend(t.spend_micros), t.spend_micros);
  setText('total-uniques', formatInteger(t.uniques), t.uniques);
  setText('total-uniques-error', t.uniques_error ? ` ± ${formatInteger(t.uniques_error)}` : '', t.uniques_error);
  byTestId('totals-approximate').hidden = !t.approximate;

  drawCountsChart($('chart'), answer);
  drawUniquesChart($('uniques-chart'), answer);

  const gaps = answer.gaps ?? [];
  const gapNote = $('gaps');
  gapNote.hidden = gaps.length === 0;
  gapNote.textContent = gaps.length === 0 ? '' :
    `No data for ${gaps.length} span${gaps.length > 1 ? 's' : ''} (neither batch nor speed covers them): ` +
    gaps.map((g) => `${formatTime(g.from)} – ${formatTime(g.to)}`).join('; ');
}

function renderFreshness(answer, platform, statusError) {
  const now = Date.now();
  const batchVersion = answer?.batch_version ?? platform?.batch?.current_version ?? null;
  const watermark = answer?.batch_watermark ?? platform?.batch?.watermark ?? null;
  setText('batch-version', batchVersion == null ? 'none yet' : `v${batchVersion}`, batchVersion);
  setText('batch-watermark', formatTime(watermark), watermark);

  const fresh = answer?.freshness;
  setText('speed-watermark', formatTime(fresh?.speed_watermark), fresh?.speed_watermark);
  setText('speed-updated', fresh?.speed_updated_at ? formatAge(fresh.speed_updated_at, now) : '—', fresh?.speed_updated_at);
  const lag = fresh?.lag;
  setText('speed-lag', lag == null ? '—' : `${formatInteger(lag)} records`, lag);
  byTestId('speed-lag').classList.toggle('warn-text', lag != null && lag > LAG_WARNING);

  const body = byTestId('partitions').querySelector('tbody');
  body.replaceChildren();
  // Partitions are listed for admin keys only; an advertiser's status has none.
  byTestId('partitions-details').hidden = !statusError && !platform?.speed?.partitions;
  if (statusError) {
    body.appendChild(tableRow([`Status unavailable: ${statusError.message}`], 5));
    return;
  }
  for (const p of platform?.speed?.partitions ?? []) {
    body.appendChild(tableRow([p.partition, p.owner, formatInteger(p.lag), p.events_per_second.toFixed(1), formatAge(p.updated_at, now)]));
  }
}

function tableRow(cells, span) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    if (span) td.colSpan = span;
    tr.appendChild(td);
  }
  return tr;
}

// ---- wiring ----

function wire() {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    if (!key) return;
    apiKey.set(key);
    loadCampaigns();
  });
  $('sign-out').addEventListener('click', (event) => {
    event.preventDefault();
    apiKey.clear();
    history.replaceState(null, '', location.pathname);
    showSignIn();
  });
  $('refresh-toggle').addEventListener('click', () => {
    state.paused = !state.paused;
    const button = $('refresh-toggle');
    button.setAttribute('aria-pressed', String(state.paused));
    button.textContent = state.paused ? 'Resume auto-refresh' : 'Pause auto-refresh';
    if (state.paused) clearTimeout(state.timer);
    else refresh();
    renderRefreshState();
  });
  for (const input of document.querySelectorAll('input[name="range"]')) {
    input.addEventListener('change', () => {
      setRange(input.value);
      writeHash();
      refresh();
    });
  }
  $('granularity').addEventListener('change', (event) => {
    setRange(state.range, event.target.value);
    writeHash();
    refresh();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !state.paused && !state.inflight) refresh();
  });
  // Charts are drawn at the container's pixel width; redraw the last answer when it changes.
  let lastWidth = 0;
  new ResizeObserver(([entry]) => {
    const width = Math.round(entry.contentRect.width);
    if (width === lastWidth || !state.lastMetrics) { lastWidth = width; return; }
    lastWidth = width;
    drawCountsChart($('chart'), state.lastMetrics);
    drawUniquesChart($('uniques-chart'), state.lastMetrics);
  }).observe($('chart'));
}

function start() {
  wire();
  const hash = readHash();
  setRange(hash.range ?? '6h', hash.granularity);
  if (apiKey.get()) loadCampaigns();
  else showSignIn();
}

start();
