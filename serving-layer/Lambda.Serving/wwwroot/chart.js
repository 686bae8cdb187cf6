// SVG time-series charts drawn by hand (no chart library: every asset is a local file).
// Both charts share one frame: the batch and speed regions split at the batch watermark W, the
// labelled W line, missing buckets hatched, axes in UTC. Points sit at the middle of their bucket,
// so the W line (a bucket edge) falls between the last batch point and the first speed point.

import { formatCompact, formatInteger, formatTick, formatTime } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const STEP_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const TICK_STEPS_MS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);
const MARGIN = { top: 26, right: 18, bottom: 30, left: 58 };
// Past this many buckets, point markers merge into a smear; the lines carry the data alone
// (the series' data-points attribute still counts them).
const MAX_MARKED_POINTS = 120;

/** The three count series of the main chart, in drawing order (largest first, so small ones stay on top). */
export const COUNT_SERIES = ['impressions', 'views', 'clicks'];

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** A round grid step giving about four lines up to value (whole numbers: these are counts). */
function niceStep(value) {
  if (value <= 4) return 1;
  const rough = value / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const m = [1, 2, 2.5, 5, 10].find((c) => c * magnitude >= rough);
  return Math.max(1, m * magnitude);
}

/** Geometry shared by both charts: pixel size and the time and value scales. */
function geometry(container, answer, yMax, height) {
  const width = Math.max(320, container.clientWidth || 900);
  const fromMs = Date.parse(answer.from);
  const toMs = Date.parse(answer.to);
  const stepMs = STEP_MS[answer.granularity] ?? 60_000;
  const inner = { w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  const yStep = niceStep(yMax);
  const top = Math.max(1, Math.ceil(yMax / yStep)) * yStep;
  return {
    width, height, fromMs, toMs, stepMs, top, yStep,
    x: (ms) => MARGIN.left + ((ms - fromMs) / (toMs - fromMs)) * inner.w,
    y: (v) => MARGIN.top + inner.h - (v / top) * inner.h,
    left: MARGIN.left, right: width - MARGIN.right, top0: MARGIN.top, bottom: MARGIN.top + inner.h,
  };
}

function clampToRange(g, ms) {
  return Math.min(g.toMs, Math.max(g.fromMs, ms));
}

/** Regions, grid, axes, missing buckets and the W line; returns the layer the series go into. */
function drawFrame(svg, g, answer) {
  const watermarkMs = answer.batch_watermark ? Date.parse(answer.batch_watermark) : null;
  const frame = el('g', { class: 'frame' }, svg);

  // Batch covers [from, W), speed [W, to). No batch version at all: everything is speed.
  const splitMs = watermarkMs == null ? g.fromMs : clampToRange(g, watermarkMs);
  if (splitMs > g.fromMs) {
    el('rect', { class: 'region-batch', 'data-testid': 'region-batch', x: g.left, y: g.top0, width: g.x(splitMs) - g.left, height: g.bottom - g.top0 }, frame);
  }
  if (splitMs < g.toMs) {
    el('rect', { class: 'region-speed', 'data-testid': 'region-speed', x: g.x(splitMs), y: g.top0, width: g.right - g.x(splitMs), height: g.bottom - g.top0 }, frame);
  }

  for (let v = 0; v <= g.top; v += g.yStep) {
    el('line', { class: 'grid', x1: g.left, x2: g.right, y1: g.y(v), y2: g.y(v) }, frame);
    const label = el('text', { class: 'axis-label', x: g.left - 8, y: g.y(v) + 4, 'text-anchor': 'end' }, frame);
    label.textContent = formatCompact(v);
  }

  const span = g.toMs - g.fromMs;
  const maxTicks = Math.max(2, Math.floor((g.right - g.left) / 90));
  const tickMs = TICK_STEPS_MS.find((s) => span / s <= maxTicks) ?? TICK_STEPS_MS.at(-1);
  for (let t = Math.ceil(g.fromMs / tickMs) * tickMs; t <= g.toMs; t += tickMs) {
    el('line', { class: 'tick', x1: g.x(t), x2: g.x(t), y1: g.bottom, y2: g.bottom + 5 }, frame);
    const label = el('text', { class: 'axis-label', x: g.x(t), y: g.bottom + 18, 'text-anchor': 'middle' }, frame);
    label.textContent = formatTick(t, tickMs);
  }
  el('line', { class: 'axis', x1: g.left, x2: g.right, y1: g.bottom, y2: g.bottom }, frame);
  el('line', { class: 'axis', x1: g.left, x2: g.left, y1: g.top0, y2: g.bottom }, frame);

  drawMissing(frame, g, answer.rows);
  if (watermarkMs != null && watermarkMs >= g.fromMs && watermarkMs <= g.toMs) {
    drawBoundary(frame, g, watermarkMs, answer.batch_watermark);
  }
  return el('g', { class: 'series-layer' }, svg);
}

// Consecutive missing buckets become one hatched band, so a long outage reads as one gap.
function drawMissing(frame, g, rows) {
  let startMs = null;
  let endMs = null;
  const flush = () => {
    if (startMs == null) return;
    const x1 = g.x(clampToRange(g, startMs));
    const x2 = g.x(clampToRange(g, endMs));
    const band = el('rect', { class: 'missing', 'data-testid': 'missing', x: x1, y: g.top0, width: Math.max(2, x2 - x1), height: g.bottom - g.top0 }, frame);
    el('title', {}, band).textContent = `No data from ${formatTime(new Date(startMs).toISOString())} to ${formatTime(new Date(endMs).toISOString())}`;
    startMs = null;
  };
  for (const row of rows) {
    const ms = Date.parse(row.bucket);
    if (row.source !== 'missing') { flush(); continue; }
    if (startMs == null) startMs = ms;
    endMs = ms + g.stepMs;
  }
  flush();
}

function drawBoundary(frame, g, watermarkMs, iso) {
  const x = g.x(watermarkMs);
  const boundary = el('g', { class: 'boundary', 'data-testid': 'boundary', 'data-w': iso, 'data-x': x.toFixed(1) }, frame);
  el('line', { x1: x, x2: x, y1: g.top0 - 6, y2: g.bottom }, boundary);
  // Keep the label inside the plot when W sits near either edge.
  const anchor = x > g.right - 120 ? 'end' : x < g.left + 120 ? 'start' : 'middle';
  const label = el('text', { x, y: g.top0 - 10, 'text-anchor': anchor }, boundary);
  label.textContent = `W · ${formatTime(iso)}`;
  el('title', {}, boundary).textContent = 'Batch watermark W: exact batch view before, speed view from here on';
}

/** Splits rows into runs of one source without a missing bucket inside, as [x, y, row] points. */
function runsOf(g, rows, value) {
  const runs = [];
  let current = null;
  let previous = null;
  for (const row of rows) {
    if (row.source === 'missing') { current = null; previous = null; continue; }
    const point = [g.x(Date.parse(row.bucket) + g.stepMs / 2), g.y(value(row)), row];
    if (!current || current.source !== row.source) {
      // Start the new run at the last point of the one before, so batch and speed join up.
      current = { source: row.source, points: previous ? [previous] : [] };
      runs.push(current);
    }
    current.points.push(point);
    previous = point;
  }
  return runs;
}

const pathOf = (points) => points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');

function drawSeries(layer, g, rows, name, value) {
  const group = el('g', { class: `series series-${name}`, 'data-testid': `series-${name}` }, layer);
  let count = 0;
  for (const run of runsOf(g, rows, value)) {
    el('path', { class: `line line-${run.source}`, d: pathOf(run.points) }, group);
  }
  const marked = rows.length <= MAX_MARKED_POINTS;
  for (const row of rows) {
    if (row.source === 'missing') continue;
    count++;
    if (!marked) continue;
    el('circle', { class: `point point-${row.source}`, cx: g.x(Date.parse(row.bucket) + g.stepMs / 2), cy: g.y(value(row)), r: 2.6 }, group);
  }
  group.setAttribute('data-points', count);
}

function newSvg(container, g, label) {
  container.replaceChildren();
  return el('svg', { width: g.width, height: g.height, viewBox: `0 0 ${g.width} ${g.height}`, role: 'img', 'aria-label': label }, container);
}

function emptyNote(svg, g, rows) {
  if (rows.some((r) => r.source !== 'missing')) return;
  const note = el('text', { class: 'empty-note', x: (g.left + g.right) / 2, y: (g.top0 + g.bottom) / 2, 'text-anchor': 'middle' }, svg);
  note.textContent = 'No data in this range';
}

/** Draws impressions, views and clicks of a metrics answer into container. */
export function drawCountsChart(container, answer) {
  const rows = answer.rows;
  const yMax = Math.max(0, ...rows.filter((r) => r.source !== 'missing').flatMap((r) => COUNT_SERIES.map((s) => r[s])));
  const g = geometry(container, answer, yMax, 300);
  const svg = newSvg(container, g, `Impressions, views and clicks per ${answer.granularity}`);
  const layer = drawFrame(svg, g, answer);
  for (const name of COUNT_SERIES) drawSeries(layer, g, rows, name, (r) => r[name]);
  emptyNote(svg, g, rows);
  attachHover(container, svg, g, rows, (row) => COUNT_SERIES.map((s) => [s, formatInteger(row[s])]));
}

/** Draws unique users with the band uniques ± uniques_error (clamped at zero). */
export function drawUniquesChart(container, answer) {
  const rows = answer.rows;
  const present = rows.filter((r) => r.source !== 'missing');
  const yMax = Math.max(0, ...present.map((r) => r.uniques + (r.uniques_error ?? 0)));
  const g = geometry(container, answer, yMax, 190);
  const svg = newSvg(container, g, `Unique users per ${answer.granularity} with error band`);
  const layer = drawFrame(svg, g, answer);

  const bands = el('g', { class: 'band', 'data-testid': 'uniques-band' }, layer);
  for (const run of runsOf(g, rows, (r) => r.uniques + (r.uniques_error ?? 0))) {
    const upper = run.points;
    const lower = upper.map(([x, , row]) => [x, g.y(Math.max(0, row.uniques - (row.uniques_error ?? 0)))]).reverse();
    el('path', { d: `${pathOf(upper)}${pathOf(lower).replace('M', 'L')}Z` }, bands);
  }
  drawSeries(layer, g, rows, 'uniques', (r) => r.uniques);
  emptyNote(svg, g, rows);
  attachHover(container, svg, g, rows, (row) => [['uniques', `${formatInteger(row.uniques)} ± ${formatInteger(row.uniques_error ?? 0)}`]]);
}

// A guide line and a tooltip for the bucket under the pointer.
function attachHover(container, svg, g, rows, describe) {
  if (!rows.length) return;
  const guide = el('line', { class: 'guide', y1: g.top0, y2: g.bottom, visibility: 'hidden' }, svg);
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.hidden = true;
  container.appendChild(tip);
  const overlay = el('rect', { x: g.left, y: g.top0, width: g.right - g.left, height: g.bottom - g.top0, fill: 'transparent' }, svg);
  overlay.addEventListener('pointermove', (event) => {
    const box = svg.getBoundingClientRect();
    const ms = g.fromMs + ((event.clientX - box.left - g.left) / (g.right - g.left)) * (g.toMs - g.fromMs);
    const index = Math.min(rows.length - 1, Math.max(0, Math.floor((ms - Date.parse(rows[0].bucket)) / g.stepMs)));
    const row = rows[index];
    const x = g.x(Date.parse(row.bucket) + g.stepMs / 2);
    guide.setAttribute('x1', x);
    guide.setAttribute('x2', x);
    guide.setAttribute('visibility', 'visible');
    const lines = row.source === 'missing'
      ? [['', 'no data']]
      : [...describe(row), ['source', row.approximate ? `${row.source} (approximate)` : row.source]];
    tip.replaceChildren();
    const title = document.createElement('strong');
    title.textContent = formatTime(row.bucket);
    tip.appendChild(title);
    for (const [k, v] of lines) {
      const line = document.createElement('div');
      line.textContent = k ? `${k}: ${v}` : v;
      tip.appendChild(line);
    }
    tip.hidden = false;
    tip.style.left = `${Math.min(x + 12, g.width - 190)}px`;
    tip.style.top = `${g.top0}px`;
  });
  overlay.addEventListener('pointerleave', () => {
    guide.setAttribute('visibility', 'hidden');
    tip.hidden = true;
  });
}
