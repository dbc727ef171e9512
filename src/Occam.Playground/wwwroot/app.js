// Occam playground page: plain JS, no build step. The server trains; this draws its frames (docs/playground.md).
'use strict';

const DEFAULTS = {
  dataset: 'spiral', noise: 0.2, points: 400, trainPercent: 70, seed: 1, features: 'x,y', hidden: '8,8',
  activation: 'tanh', learningRate: 0.03, batchSize: 10, optimizer: 'adam', penalty: 'none', lambda: 0.001,
  l1Ratio: 0.5, l1Mode: 'prox', dropout: 0, epochsPerFrame: 2, framesPerSecond: 10,
};
const LIVE = new Set(['penalty', 'lambda', 'l1Ratio', 'l1Mode', 'dropout', 'learningRate', 'epochsPerFrame', 'framesPerSecond']);
const NUMERIC = new Set(['noise', 'points', 'trainPercent', 'seed', 'learningRate', 'batchSize', 'lambda', 'l1Ratio', 'dropout', 'epochsPerFrame', 'framesPerSecond']);
const CLASS_COLORS = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [163, 73, 164], [200, 60, 60], [120, 120, 120]];
const $ = (id) => document.getElementById(id);

let state = readHash();
let session = null;      // the description from POST /api/sessions
let events = null;       // EventSource
let lastFrame = null;    // the latest streamed frame
let view = 'live';       // 'live', 'path' (scrubbing) or 'pruned'
let csvText = null;
let creating = 0;

// ---------- URL state ----------
function readHash() {
  const s = { ...DEFAULTS };
  const params = new URLSearchParams(location.hash.slice(1));
  for (const [k, v] of params) if (k in DEFAULTS) s[k] = NUMERIC.has(k) ? Number(v) : v;
  return s;
}
function writeHash() {
  const params = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS)) params.set(k, String(state[k]));
  history.replaceState(null, '', '#' + params.toString());
}

// ---------- controls ----------
function showState() {
  for (const k of Object.keys(DEFAULTS)) {
    const el = $(k);
    if (el && k !== 'features') el.value = state[k];
  }
  for (const box of document.querySelectorAll('#features input')) box.checked = state.features.split(',').includes(box.value);
  for (const r of document.querySelectorAll('input[name=l1Mode]')) r.checked = r.value === state.l1Mode;
  $('lambda-slider').value = state.lambda > 0 ? Math.log10(state.lambda) : -5;
  $('upload-label').hidden = state.dataset !== 'csv';
  for (const o of document.querySelectorAll('output')) o.textContent = $(o.htmlFor.value).value;
}

function changed(key, value) {
  state[key] = NUMERIC.has(key) ? Number(value) : value;
  writeHash();
  showState();
  if (LIVE.has(key) && session) {
    api('POST', `/api/sessions/${session.id}/settings`, { [key]: state[key] }).catch(showError);
    if (view !== 'live') goLive();
  } else {
    newSession();
  }
}

function bindControls() {
  for (const k of Object.keys(DEFAULTS)) {
    const el = $(k);
    if (!el || k === 'features') continue;
    el.addEventListener('change', () => changed(k, el.value));
    if (el.type === 'range') el.addEventListener('input', () => { const o = document.querySelector(`output[for=${k}]`); if (o) o.textContent = el.value; });
  }
  for (const box of document.querySelectorAll('#features input')) box.addEventListener('change', () => {
    const chosen = [...document.querySelectorAll('#features input')].filter(b => b.checked).map(b => b.value);
    if (chosen.length === 0) { box.checked = true; return; }
    changed('features', chosen.join(','));
  });
  for (const r of document.querySelectorAll('input[name=l1Mode]')) r.addEventListener('change', () => changed('l1Mode', r.value));
  $('lambda-slider').addEventListener('change', () => changed('lambda', Number(Math.pow(10, Number($('lambda-slider').value)).toPrecision(3))));
  $('upload').addEventListener('change', async () => {
    const file = $('upload').files[0];
    if (!file) return;
    if (file.size > 256 * 1024) { showError(new Error('the CSV is larger than 256 KiB')); return; }
    csvText = await file.text();
    newSession();
  });
  $('play').addEventListener('click', () => control(lastFrame && lastFrame.playing ? 'pause' : 'play'));
  $('step').addEventListener('click', () => control('step'));
  $('reset').addEventListener('click', () => control('reset'));
  $('prune').addEventListener('click', prune);
  $('path').addEventListener('click', startPath);
  $('live').addEventListener('click', goLive);
  $('show-test').addEventListener('change', () => redraw());
  $('path-scrub').addEventListener('input', scrub);
}

// ---------- server ----------
async function api(method, url, body) {
  const res = await fetch(url, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) {
    let msg = res.statusText;
    try { msg = (await res.json()).error; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return res.status === 204 ? null : res.json();
}
function showError(e) { $('error').textContent = e.message || String(e); $('error').hidden = false; }
function clearError() { $('error').hidden = true; }

async function newSession() {
  const mine = ++creating;
  if (events) { events.close(); events = null; }
  if (session) { api('DELETE', `/api/sessions/${session.id}`).catch(() => {}); session = null; }
  if (state.dataset === 'csv' && !csvText) { showError(new Error('choose a CSV file (columns x, y, target)')); return; }
  const body = {};
  for (const k of Object.keys(DEFAULTS)) body[k] = state[k];
  if (state.dataset === 'csv') body.csv = csvText;
  try {
    const created = await api('POST', '/api/sessions', body);
    if (mine !== creating) { api('DELETE', `/api/sessions/${created.id}`).catch(() => {}); return; }
    session = created;
    clearError();
    view = 'live';
    $('path-panel').hidden = true;
    $('prune-info').hidden = true;
    $('command').textContent = session.trainCommand;
    $('loss-kind').textContent = 'loss: ' + (session.task === 'regression' ? 'squared error' : 'cross-entropy');
    $('download').href = `/api/sessions/${session.id}/model`;
    $('download-data').href = `/api/sessions/${session.id}/data.csv`;
    document.body.dataset.session = session.id;
    events = new EventSource(`/api/sessions/${session.id}/events`);
    events.onmessage = (m) => onFrame(JSON.parse(m.data));
    events.onerror = () => { if (events && events.readyState === EventSource.CLOSED) showError(new Error('the server closed the stream; reload the page')); };
  } catch (e) {
    showError(e);
  }
}

async function control(action) {
  if (!session) return;
  try {
    await api('POST', `/api/sessions/${session.id}/control`, { action });
    if (action === 'reset' || action === 'play') goLive();
  } catch (e) { showError(e); }
}

async function prune() {
  if (!session) return;
  try {
    const frame = await api('POST', `/api/sessions/${session.id}/prune`);
    view = 'pruned';
    const before = lastFrame ? lastFrame.counters.parameters : frame.counters.parameters;
    $('prune-info').hidden = false;
    $('prune-info').dataset.maxDifference = frame.maxGridDifference;
    $('prune-info').textContent = `Pruned at epoch ${frame.epoch}: ${before} → ${frame.counters.parameters} parameters; ` +
      `largest change of the output on the grid: ${frame.maxGridDifference.toExponential(1)}.`;
    $('view-note').textContent = 'pruned network (paused view; press back to live or play)';
    $('download').href = `/api/sessions/${session.id}/model?pruned=1`;
    render(frame);
  } catch (e) { showError(e); }
}

async function startPath() {
  if (!session) return;
  try {
    await api('POST', `/api/sessions/${session.id}/path`, { points: 20, epochs: 40, ratio: 1e-3 });
    clearError();
    $('path-panel').hidden = false;
  } catch (e) { showError(e); }
}

async function scrub() {
  const k = Number($('path-scrub').value);
  try {
    const frame = await api('GET', `/api/sessions/${session.id}/path/${k}`);
    view = 'path';
    $('view-note').textContent = `λ path: frame ${k + 1} of ${lastFrame.path.lambdas.length}, λ = ${lastFrame.path.lambdas[k].toPrecision(3)}`;
    $('path-label').textContent = `λ = ${lastFrame.path.lambdas[k].toPrecision(3)}`;
    render(frame);
  } catch (e) { showError(e); }
}

function goLive() {
  view = 'live';
  $('view-note').textContent = '';
  $('prune-info').hidden = true;
  if (session) $('download').href = `/api/sessions/${session.id}/model`;
  if (lastFrame) render(lastFrame);
}

// ---------- frames ----------
function onFrame(frame) {
  lastFrame = frame;
  $('play').textContent = frame.playing ? '⏸ pause' : '▶ play';
  $('epoch').textContent = frame.epoch;
  $('epoch').dataset.value = frame.epoch;
  $('train-loss').textContent = frame.losses.train !== undefined ? frame.losses.train.toFixed(3) : '–';
  $('test-loss').textContent = frame.losses.test !== undefined ? frame.losses.test.toFixed(3) : '–';
  if (frame.error) showError(new Error(frame.error));
  if (frame.settings.lambda !== state.lambda && frame.path) { state.lambda = frame.settings.lambda; writeHash(); showState(); }
  drawLoss(frame.curve);
  if (frame.path) drawPath(frame.path);
  if (view === 'live') render(frame);
}

let shown = null;
function redraw() { if (shown) render(shown); }

function render(frame) {
  shown = frame;
  const c = frame.counters;
  setCounter('zeros', c.zeros, `${c.zeros} / ${c.weights} (${(100 * c.zeros / Math.max(1, c.weights)).toFixed(1)}%)`);
  setCounter('dead', c.deadUnits, `${c.deadUnits} / ${c.hiddenUnits}`);
  setCounter('inputs-kept', c.inputsKept, `${c.inputsKept} / ${c.inputs}`);
  setCounter('params', c.parametersAfterPruning, `${c.parametersAfterPruning} of ${c.parameters}`);
  drawBoundary(frame.grid);
  drawNetwork(frame);
}
function setCounter(id, value, text) { $(id).dataset.value = value; $(id).textContent = text; }

// ---------- colours ----------
function mix(a, b, t) { return [0, 1, 2].map(i => Math.round(a[i] + (b[i] - a[i]) * t)); }
const WHITE = [255, 255, 255];
function diverging(t) { // t in [0, 1]: orange → white → blue
  return t < 0.5 ? mix(CLASS_COLORS[0], WHITE, t * 2) : mix(WHITE, CLASS_COLORS[1], (t - 0.5) * 2);
}
function decode(b64) { const s = atob(b64); const a = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i); return a; }

function gridImage(size, colorAt) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = colorAt(i);
    img.data[4 * i] = r; img.data[4 * i + 1] = g; img.data[4 * i + 2] = b; img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

function gridColors(grid) {
  const v = decode(grid.values);
  if (grid.kind === 'class') {
    const conf = decode(grid.confidence);
    const k = session && session.classes ? session.classes.length : 3;
    return (i) => mix(WHITE, CLASS_COLORS[v[i] % CLASS_COLORS.length], Math.max(0, (conf[i] / 255 - 1 / k) / (1 - 1 / k)) * 0.8 + 0.2);
  }
  return (i) => diverging(v[i] / 255);
}

// ---------- output plot ----------
function drawBoundary(grid) {
  const canvas = $('boundary');
  const ctx = canvas.getContext('2d');
  const img = gridImage(grid.size, gridColors(grid));
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  if (!session) return;
  const d = session.domain;
  const showTest = $('show-test').checked;
  for (const [x, y, label, train] of session.points) {
    if (!train && !showTest) continue;
    const px = (x - d.xMin) / (d.xMax - d.xMin) * canvas.width;
    const py = (d.yMax - y) / (d.yMax - d.yMin) * canvas.height;
    let color;
    if (session.task === 'regression') color = diverging((label - session.valueMin) / Math.max(1e-12, session.valueMax - session.valueMin));
    else color = CLASS_COLORS[label % CLASS_COLORS.length];
    color = mix(color, [0, 0, 0], 0.15);
    ctx.beginPath();
    ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${color.join(',')})`;
    ctx.fill();
    ctx.lineWidth = train ? 1 : 1.5;
    ctx.strokeStyle = train ? '#fff' : '#000';
    ctx.stroke();
  }
}

// ---------- network diagram ----------
const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function featureImage(name, size) {
  const d = session.domain;
  const vals = [];
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) {
    const x = d.xMin + (c + 0.5) / size * (d.xMax - d.xMin), y = d.yMax - (r + 0.5) / size * (d.yMax - d.yMin);
    vals.push({ x, y, x2: x * x, y2: y * y, xy: x * y, sinx: Math.sin(x), siny: Math.sin(y) }[name]);
  }
  const m = Math.max(1e-12, ...vals.map(Math.abs));
  return gridImage(size, (i) => diverging(0.5 + vals[i] / m / 2)).toDataURL();
}
const featureImages = {};

function unitImage(unit, size) {
  const v = decode(unit.values);
  const m = Math.max(1e-12, Math.abs(unit.min), Math.abs(unit.max));
  return gridImage(size, (i) => diverging(0.5 + (unit.min + v[i] / 255 * (unit.max - unit.min)) / m / 2)).toDataURL();
}

function drawNetwork(frame) {
  const svg = $('network');
  svg.replaceChildren();
  const net = frame.network;
  const columns = [net.inputs.length, ...net.layers.map(l => l.units)];
  const W = Number(svg.getAttribute('width')), H = Number(svg.getAttribute('height'));
  const box = 30, colX = (k) => 40 + k * (W - 100) / Math.max(1, columns.length - 1);
  const rowY = (k, j) => { const n = columns[k]; const gap = Math.min(box + 6, (H - 20) / n); return H / 2 + (j - (n - 1) / 2) * gap; };
  const alive = [net.inputsAlive, ...net.layers.map(l => l.alive)];
  let maxW = 1e-12;
  for (const l of net.layers) for (const w of l.weights) maxW = Math.max(maxW, Math.abs(w));
  const links = el('g', { class: 'links' }, svg);
  net.layers.forEach((layer, k) => {
    for (let j = 0; j < layer.units; j++) for (let i = 0; i < layer.inputs; i++) {
      const w = layer.weights[j * layer.inputs + i];
      if (w === 0 || !alive[k][i] || !alive[k + 1][j]) continue;
      const color = w > 0 ? '#0877bd' : '#f59322';
      el('line', {
        class: 'link', x1: colX(k) + box / 2, y1: rowY(k, i), x2: colX(k + 1) - box / 2, y2: rowY(k + 1, j),
        stroke: color, 'stroke-width': (0.4 + 5 * Math.abs(w) / maxW).toFixed(2), 'stroke-opacity': 0.75,
        'data-layer': k, 'data-from': i, 'data-to': j,
      }, links);
    }
  });
  const size = frame.unitGridSize;
  columns.forEach((n, k) => {
    for (let j = 0; j < n; j++) {
      const isAlive = alive[k][j];
      const g = el('g', { class: 'unit' + (isAlive ? '' : ' dead'), 'data-layer': k, 'data-unit': j }, svg);
      const x = colX(k) - box / 2, y = rowY(k, j) - box / 2;
      el('rect', { class: 'unit-box', x, y, width: box, height: box }, g);
      let href = null;
      if (k === 0) href = featureImages[net.inputs[j]] || (featureImages[net.inputs[j]] = featureImage(net.inputs[j], size));
      else if (k < columns.length - 1 && isAlive) href = unitImage(frame.units[k - 1][j], size);
      else if (k === columns.length - 1 && j === 0) href = gridImage(frame.grid.size, gridColors(frame.grid)).toDataURL();
      if (href) el('image', { href, x: x + 1, y: y + 1, width: box - 2, height: box - 2, preserveAspectRatio: 'none' }, g);
      if (k === 0) { const t = el('text', { class: 'node-label', x: x - 4, y: rowY(k, j) + 3, 'text-anchor': 'end' }, g); t.textContent = net.inputs[j]; }
    }
  });
  $('net-note').textContent = `${frame.counters.deadUnits} dead of ${frame.counters.hiddenUnits} hidden units`;
}

// ---------- charts ----------
function polyline(svg, xs, ys, x0, x1, y0, y1, attrs) {
  const W = Number(svg.getAttribute('width')), H = Number(svg.getAttribute('height'));
  const pts = [];
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] === null || ys[i] === undefined || !isFinite(ys[i])) continue;
    pts.push(`${(28 + (xs[i] - x0) / Math.max(1e-12, x1 - x0) * (W - 36)).toFixed(1)},${(H - 14 - (ys[i] - y0) / Math.max(1e-12, y1 - y0) * (H - 22)).toFixed(1)}`);
  }
  el('polyline', { points: pts.join(' '), fill: 'none', ...attrs }, svg);
}
function label(svg, x, y, text, anchor) { const t = el('text', { x, y, 'font-size': 10, fill: '#555', 'text-anchor': anchor || 'start' }, svg); t.textContent = text; }

function drawLoss(curve) {
  const svg = $('loss-chart');
  svg.replaceChildren();
  if (!curve || curve.epoch.length === 0) return;
  const all = curve.train.concat(curve.test.filter(v => v !== null));
  const hi = Math.max(...all), x0 = curve.epoch[0], x1 = curve.epoch[curve.epoch.length - 1];
  polyline(svg, curve.epoch, curve.train, x0, x1, 0, hi, { stroke: '#333', 'stroke-width': 1.5, class: 'train-curve' });
  polyline(svg, curve.epoch, curve.test, x0, x1, 0, hi, { stroke: '#0877bd', 'stroke-width': 1.5, 'stroke-dasharray': '4 2', class: 'test-curve' });
  label(svg, 2, 12, hi.toPrecision(2));
  label(svg, 2, 106, '0');
  label(svg, 352, 116, `epoch ${x1}`, 'end');
  label(svg, 60, 12, '— train   - - test');
}

function drawPath(path) {
  $('path-panel').hidden = false;
  const n = path.finished.length;
  const scrubber = $('path-scrub');
  scrubber.max = Math.max(0, n - 1);
  scrubber.disabled = n === 0;
  $('path-panel').dataset.finished = n;
  $('path-panel').dataset.done = path.done;
  if (view !== 'path') $('path-label').textContent = path.done ? `${n} λ values from ${path.lambdas[0].toPrecision(3)} down to ${path.lambdas[path.lambdas.length - 1].toPrecision(3)}; scrub` : `sweeping: ${n} of ${path.lambdas.length} λ values`;
  const svg = $('path-chart');
  svg.replaceChildren();
  if (n === 0) return;
  const idx = path.finished.map((_, i) => i);
  polyline(svg, idx, path.finished.map(p => p.zeroFraction), 0, path.lambdas.length - 1, 0, 1, { stroke: '#2ea043', 'stroke-width': 1.5 });
  const losses = path.finished.map(p => p.test !== undefined ? p.test : p.train);
  polyline(svg, idx, losses, 0, path.lambdas.length - 1, 0, Math.max(...losses), { stroke: '#0877bd', 'stroke-width': 1.5, 'stroke-dasharray': '4 2' });
  label(svg, 30, 12, 'green: zero fraction   blue: test loss   (λ decreasing →)');
}

// ---------- start ----------
showState();
bindControls();
writeHash();
newSession();
