/**
 * The explorer page: controls on the left (grouped as the report groups the scenario), figures on the
 * right (power, bias, RMSE and coverage per estimator with their running Monte Carlo SEs; the event
 * study; the sampling distribution; recruitment), all updating as draws stream in from the Web Workers.
 * Moving a control restarts the run with the same seed (common random numbers). The state lives in the
 * URL's hash; "Download scenario" writes the YAML `stagger run` reproduces.
 *
 * Figures are marked for tests: data-testid="power" | "bias" | "rmse" | "coverage" | "draws" with
 * data-estimator and data-value (full precision); the run's counter is data-testid="draws-total".
 */
import { Chart, registerables } from 'chart.js';
import type { ChartSpec } from '../../report/chart-style.js';
import { accrualChart, eventStudyChart, samplingChart } from '../../report/charts.js';
import type { DiagnosisRow } from '../../diagnosis/diagnosis.js';
import { fmt } from '../../diagnosis/summary.js';
import type { Control, Controls, SliderControl } from '../controls.js';
import { LiveRun } from '../live-run.js';
import type { Lesson } from '../lessons.js';
import { controlValue, decodeState, encodeState, type ViewState } from '../url-state.js';
import { DrawPool, type WorkerLike } from './draw-pool.js';
import type { PeriodInfo } from '../../report/format.js';

Chart.register(...registerables);

/** What `stagger explore` embeds in the page (src/explore/page.ts). */
export interface ExplorerConfig {
  label: string;
  name: string;
  title: string;
  description: string;
  text: string;
  controls: Controls;
  lesson: Lesson | null;
  units: { effect: string; per: string; who: string };
  periods: PeriodInfo | null;
  version: string;
}

const GROUP_TITLES: Record<string, string> = {
  periods: 'Periods',
  population: 'Population',
  outcome: 'Outcome',
  effect: 'Effects',
  design: 'Design',
  measurement: 'Measurement',
  analysis: 'Analysis',
};

const DIAGNOSANDS: { key: string; diagnosand: string; target: string; label: string }[] = [
  { key: 'power', diagnosand: 'power', target: '', label: 'power' },
  { key: 'bias', diagnosand: 'bias', target: 'sample', label: 'bias' },
  { key: 'rmse', diagnosand: 'rmse', target: 'sample', label: 'RMSE' },
  { key: 'coverage', diagnosand: 'coverage', target: 'sample', label: 'coverage' },
];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...kids: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of kids) e.append(c);
  return e;
}

/** Chart fonts ×1.5 for the projector (the specs set sizes in px). */
function scaleFonts(o: unknown, f: number): void {
  if (o === null || typeof o !== 'object') return;
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (k === 'font' && v && typeof v === 'object' && typeof (v as { size?: unknown }).size === 'number')
      (v as { size: number }).size = Math.round((v as { size: number }).size * f);
    else if (typeof v === 'object') scaleFonts(v, f);
  }
}

export function startPage(cfg: ExplorerConfig, first: WorkerLike, more: () => WorkerLike, cores: number): void {
  const root = document.getElementById('app')!;
  const decoded = decodeState(location.hash, cfg.controls);
  const state: ViewState = decoded.state;
  const controls = new Map<string, Control>(cfg.controls.groups.flatMap((g) => g.controls.map((c) => [c.path, c])));
  const pool = new DrawPool([first]);
  let grown = false;

  // ---- layout
  const status = el('span', { 'data-testid': 'draws-total', 'data-value': '0', class: 'status' }, '0 draws');
  const rate = el('span', { class: 'rate', 'data-testid': 'draws-per-second' }, '');
  const stopBtn = el('button', { type: 'button', 'data-testid': 'stop' }, 'Stop');
  const seedIn = el('input', { type: 'text', value: state.seed, size: '8', 'aria-label': 'seed', 'data-testid': 'seed' });
  const drawsIn = el('input', {
    type: 'number',
    min: '1',
    step: '1',
    value: String(state.draws),
    'aria-label': 'draws',
    'data-testid': 'target',
  });
  const large = el('input', { type: 'checkbox', 'data-testid': 'large-text' });
  large.checked = state.large;
  const download = el('button', { type: 'button', 'data-testid': 'download' }, 'Download scenario');
  const copy = el('button', { type: 'button' }, 'Copy link');
  const header = el(
    'header',
    {},
    el('h1', {}, cfg.title || cfg.name),
    el(
      'div',
      { class: 'bar' },
      el('label', {}, 'seed ', seedIn),
      el('label', {}, 'draws ', drawsIn),
      stopBtn,
      status,
      rate,
      el('label', {}, large, ' large text'),
      download,
      copy,
    ),
  );
  const messages = el('div', { class: 'messages', role: 'status', 'data-testid': 'messages' });
  const side = el('aside', {});
  const main = el('main', {});
  root.append(header, messages, el('div', { class: 'cols' }, side, main));

  // ---- lesson
  if (cfg.lesson) {
    const box = el('section', { class: 'lesson', 'data-testid': 'lesson' }, el('h2', {}, cfg.lesson.title));
    const ol = el('ol', {});
    for (const s of cfg.lesson.steps) {
      const li = el('li', {}, s.text);
      if (s.path && controls.has(s.path)) {
        const b = el('button', { type: 'button', class: 'goto' }, 'show me');
        b.onclick = () => {
          const row = side.querySelector<HTMLElement>(`[data-control="${CSS.escape(s.path!)}"]`);
          row?.scrollIntoView({ block: 'center' });
          row?.classList.add('flash');
          setTimeout(() => row?.classList.remove('flash'), 1500);
          row?.querySelector<HTMLElement>('input,select')?.focus();
        };
        li.append(' ', b);
      }
      ol.append(li);
    }
    box.append(ol);
    side.append(box);
  }

  // ---- controls
  const shown = (c: Control): number | string => state.values[c.path] ?? c.value;
  const showValue = (c: SliderControl, v: number): string => `${fmt(v)}${c.units ? ` ${c.units}` : ''}`;
  for (const g of cfg.controls.groups) {
    if (g.controls.length === 0) continue;
    const fs = el('details', { open: '', class: 'group' }, el('summary', {}, g.title || GROUP_TITLES[g.group] || g.group));
    for (const c of g.controls) {
      const row = el('div', { class: 'control', 'data-control': c.path });
      const name = el('label', { for: `c-${c.path}` }, c.label, el('small', {}, c.path));
      if (c.kind === 'slider') {
        const input = el('input', {
          id: `c-${c.path}`,
          type: 'range',
          min: String(c.min),
          max: String(c.max),
          step: String(c.step),
          value: String(shown(c)),
          'data-path': c.path,
        });
        const out = el('output', {}, showValue(c, Number(shown(c))));
        const range = el('div', { class: 'range' }, el('span', {}, fmt(c.min)), input, el('span', {}, fmt(c.max)));
        input.oninput = () => {
          out.textContent = showValue(c, Number(input.value));
        };
        input.onchange = () => setValue(c, input.value);
        row.append(name, range, out);
        if (c.axis) row.append(el('small', { class: 'axis' }, `grid axis in the file: ${c.axis.map(fmt).join(' | ')}`));
      } else {
        const sel = el('select', { id: `c-${c.path}`, 'data-path': c.path });
        for (const o of c.options) {
          const opt = el('option', { value: o }, o);
          if (o === shown(c)) opt.selected = true;
          sel.append(opt);
        }
        sel.onchange = () => setValue(c, sel.value);
        row.append(name, sel);
      }
      fs.append(row);
    }
    side.append(fs);
  }
  const est = el('details', { open: '', class: 'group' }, el('summary', {}, 'Estimators'));
  for (const e of cfg.controls.estimators) {
    const box = el('input', { type: 'checkbox', 'data-estimator-switch': e.name });
    box.checked = !state.off.includes(e.name);
    box.onchange = () => {
      state.off = cfg.controls.estimators.map((x) => x.name).filter((n) => (n === e.name ? !box.checked : state.off.includes(n)));
      if (state.off.length === cfg.controls.estimators.length) {
        box.checked = true;
        state.off = state.off.filter((n) => n !== e.name);
        say('at least one estimator must stay on');
        return;
      }
      restart();
    };
    est.append(el('div', { class: 'control' }, el('label', {}, box, ` ${e.name} `, el('small', {}, e.type))));
  }
  side.append(est);

  // ---- figures
  const truthLine = el('p', { class: 'truth', 'data-testid': 'truth' }, '');
  const estimandSel = el('select', { 'data-testid': 'estimand', 'aria-label': 'estimand' });
  const table = el('table', { class: 'figures' });
  const pretest = el('p', { class: 'pretest', 'data-testid': 'pretest' });
  const canvases = ['event', 'sampling', 'recruitment'].map((id) => el('canvas', { id: `chart-${id}`, 'data-testid': `chart-${id}` }));
  main.append(
    truthLine,
    el('div', { class: 'bar' }, el('label', {}, 'estimand ', estimandSel)),
    table,
    pretest,
    ...canvases.map((c) => el('div', { class: 'chart' }, c)),
    el('p', { class: 'foot' }, `Stagger ${cfg.version} · ${cfg.label} · the engine of \`stagger run\`, in this page`),
  );
  const charts = new Map<string, Chart>();

  // ---- running
  let run: LiveRun | null = null;
  let startedAt = 0;
  let firstAt = 0;
  let dirty = false;
  let failed = false;

  function say(msg: string): void {
    messages.append(el('p', {}, msg));
  }

  function setValue(c: Control, raw: string): void {
    const v = controlValue(c, raw);
    if ('problem' in v) {
      say(`${c.path}: ${v.problem}`);
      return;
    }
    if (v.value === c.value) delete state.values[c.path];
    else state.values[c.path] = v.value;
    restart();
  }

  /** The scenario the current run simulates, as its worker wrote it ('' until the first worker is ready). */
  let runText = '';

  function restart(): void {
    history.replaceState(null, '', `#${encodeState(state, cfg.controls)}`);
    messages.replaceChildren();
    failed = false;
    run = null;
    runText = '';
    startedAt = performance.now();
    firstAt = 0;
    stopBtn.textContent = 'Stop';
    const request = {
      text: cfg.text,
      label: cfg.label,
      values: { ...state.values },
      off: [...state.off],
      seed: state.seed,
      draws: state.draws,
    };
    pool.start(request, state.draws, {
      ready: (meta, text, timing) => {
        // For the bench: the first worker's start (ms since it began: compiled, configured, built).
        document.body.dataset.workerMs = [timing.loaded, timing.configure, timing.ready].map(Math.round).join(',');
        document.body.dataset.readyMs = String(Math.round(performance.now()));
        runText = text;
        run = new LiveRun(meta);
        if (!grown) {
          grown = true;
          for (let k = 1; k < cores; k++) pool.add(more());
        }
        pool.resume(state.draws * meta.points.length);
      },
      draw: (unit, out) => {
        if (!run) return;
        run.add(unit, out);
        dirty = true;
      },
      error: (msg) => {
        failed = true;
        say(msg);
        document.body.dataset.state = 'error';
      },
    });
    delete document.body.dataset.runMs;
    document.body.dataset.state = 'running';
  }

  stopBtn.onclick = () => {
    if (!run) return;
    if (stopBtn.textContent === 'Stop') {
      pool.pause();
      stopBtn.textContent = 'Continue';
      return;
    }
    // Continue: on to the target, or another target's worth of draws when it was reached.
    if (run.draws >= state.draws) {
      state.draws += Number(drawsIn.defaultValue) || state.draws;
      drawsIn.value = String(state.draws);
      history.replaceState(null, '', `#${encodeState(state, cfg.controls)}`);
    }
    stopBtn.textContent = 'Stop';
    pool.resume(state.draws * run.meta.points.length);
  };
  seedIn.onchange = () => {
    if (!seedIn.value.trim()) return;
    state.seed = seedIn.value.trim();
    restart();
  };
  drawsIn.onchange = () => {
    const n = Number(drawsIn.value);
    if (!Number.isInteger(n) || n < 1) {
      say('draws: expected a whole number ≥ 1');
      return;
    }
    const more = run && n > state.draws;
    state.draws = n;
    history.replaceState(null, '', `#${encodeState(state, cfg.controls)}`);
    // More draws continue the run (the first draws are the same); fewer start it again.
    if (more && run) pool.resume(n * run.meta.points.length);
    else restart();
  };
  large.onchange = () => {
    state.large = large.checked;
    document.body.classList.toggle('large', state.large);
    history.replaceState(null, '', `#${encodeState(state, cfg.controls)}`);
    for (const c of charts.values()) c.destroy();
    charts.clear();
    dirty = true;
  };
  estimandSel.onchange = () => {
    state.estimand = estimandSel.value;
    history.replaceState(null, '', `#${encodeState(state, cfg.controls)}`);
    dirty = true;
  };
  download.onclick = () => {
    if (!runText) {
      say('nothing to download yet: the scenario with these settings has not been accepted (see the message above)');
      return;
    }
    // The draws target as it is now (Continue may have raised it since the run began).
    const text = runText.replace(/^draws:.*$/m, `draws: ${state.draws}`);
    const blob = new Blob([text], { type: 'text/yaml' });
    const a = el('a', { href: URL.createObjectURL(blob), download: `${cfg.name || 'scenario'}-explored.yaml` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  copy.onclick = () => {
    void navigator.clipboard?.writeText(location.href).then(
      () => say('link copied: it reproduces this view and its seed'),
      () => say(`link: ${location.href}`),
    );
  };
  document.body.classList.toggle('large', state.large);

  function drawChart(id: string, spec: ChartSpec): void {
    const opts = deepCopy({ ...spec.options, responsive: true, maintainAspectRatio: false, devicePixelRatio: undefined });
    if (state.large) scaleFonts(opts, 1.5);
    const c = charts.get(id);
    if (c) {
      c.data = spec.data as never;
      c.options = opts as never;
      c.update('none');
      return;
    }
    const canvas = document.getElementById(`chart-${id}`) as HTMLCanvasElement;
    charts.set(
      id,
      new Chart(canvas, { type: spec.type, data: spec.data as never, options: opts as never, plugins: spec.plugins as never }),
    );
  }

  function render(): void {
    if (!run) return;
    const draws = run.draws;
    const secs = (performance.now() - startedAt) / 1000;
    if (draws > 0 && !firstAt) {
      firstAt = performance.now();
      // For tests and the bench: ms since the page began loading (performance.now's origin).
      document.body.dataset.firstFiguresMs = String(Math.round(firstAt));
    }
    status.textContent = `${draws} of ${state.draws} draws`;
    status.dataset.value = String(draws);
    rate.textContent = draws > 0 ? `${(draws / secs).toFixed(1)} draws/s on ${pool.size} workers` : 'starting…';
    if (draws >= state.draws && !failed) {
      if (document.body.dataset.state !== 'done') document.body.dataset.runMs = String(Math.round(performance.now() - startedAt));
      document.body.dataset.state = 'done';
      stopBtn.textContent = 'Continue';
    }
    const rows = run.rows().filter((r) => r.point === run!.meta.points[0].index && r.outcome === (run!.meta.outcomes[0] ?? ''));
    const estimands = [...new Set(rows.map((r) => r.estimand))];
    if (estimandSel.options.length !== estimands.length) {
      estimandSel.replaceChildren(...estimands.map((e) => el('option', { value: e }, e)));
    }
    const chosen = estimands.includes(state.estimand) ? state.estimand : estimands.includes('simple') ? 'simple' : estimands[0];
    estimandSel.value = chosen;
    renderTable(
      rows.filter((r) => r.estimand === chosen),
      chosen,
    );
    const summary = run.summary();
    const unit = cfg.units.effect;
    if (summary.eventStudies.length)
      drawChart('event', eventStudyChart({ studies: summary.eventStudies, unit, per: cfg.units.per, pointLabel: '', draws }));
    if (summary.sampling.length) drawChart('sampling', samplingChart({ dists: summary.sampling, unit, pointLabel: '' }));
    if (summary.recruitment.length)
      drawChart(
        'recruitment',
        accrualChart({
          stats: summary.recruitment.map((r) => ({ label: '', r })),
          planned: null,
          target: null,
          periods: cfg.periods,
          per: cfg.units.per,
          who: cfg.units.who,
        }),
      );
  }

  function renderTable(rows: DiagnosisRow[], estimand: string): void {
    const by = new Map<string, Map<string, DiagnosisRow>>();
    for (const r of rows) {
      if (r.estimator.endsWith('|fit')) continue;
      const m = by.get(r.estimator) ?? by.set(r.estimator, new Map()).get(r.estimator)!;
      m.set(`${r.diagnosand}\0${r.target}`, r);
    }
    const truth = rows.find((r) => r.diagnosand === 'mean_truth' && r.target === 'sample');
    truthLine.textContent = truth
      ? `True effect (${estimand}, mean of the draws’ sample ATT): ${fmt(truth.value)} ${cfg.units.effect}`
      : `True effect (${estimand}): not defined for this estimand`;
    truthLine.dataset.value = truth ? String(truth.value) : '';
    const head = el('tr', {}, el('th', {}, 'estimator'), ...DIAGNOSANDS.map((d) => el('th', {}, d.label)), el('th', {}, 'draws'));
    const body = [...by.entries()].map(([name, m]) => {
      const cells = DIAGNOSANDS.map((d) => {
        const r = m.get(`${d.diagnosand}\0${d.target}`);
        const v = r && Number.isFinite(r.value) ? r.value : null;
        const unitText = d.key === 'bias' || d.key === 'rmse' ? ` ${cfg.units.effect}` : '';
        const text = v === null ? 'n/a' : `${fmt(v)} ± ${fmt(r!.mcSe)}${unitText}`;
        const td = el('td', { 'data-testid': d.key, 'data-estimator': name, 'data-value': v === null ? '' : String(v) }, text);
        if (r && v !== null) td.dataset.mcSe = String(r.mcSe);
        if (r?.reasons?.length) td.title = r.reasons.map((x) => `${x.reason} (${x.count})`).join('; ');
        return td;
      });
      const n = m.get('power\0')?.n ?? 0;
      return el(
        'tr',
        {},
        el('th', {}, name),
        ...cells,
        el('td', { 'data-testid': 'draws', 'data-estimator': name, 'data-value': String(n) }, String(n)),
      );
    });
    table.replaceChildren(
      el('caption', {}, `Each figure ± its Monte Carlo SE; bias and RMSE against each draw’s sample ATT; α = ${run?.meta.alpha ?? ''}`),
      head,
      ...body,
    );
  }

  // Figures at most ~5 times a second: the diagnosis is re-read from the accumulators, not re-run.
  let last = 0;
  const tick = (now: number) => {
    if (dirty && now - last > 200) {
      dirty = false;
      last = now;
      try {
        render();
      } catch (err) {
        say(`the page could not draw its figures: ${(err as Error).message}`);
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  restart();
  // After the first restart, which clears the messages: the link's values the page could not take.
  for (const p of decoded.problems) say(`link: ${p}`);
}

/** A deep copy of plain chart options; functions (tick callbacks, legend labels) are shared, not copied. */
function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, deepCopy(x)])) as T;
}
