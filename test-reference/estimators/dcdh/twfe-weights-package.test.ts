/**
 * twowayfeweights' types feS, fdTR, fdS and its controls, other_treatments and weights, against
 * TwoWayFEWeights' own R source (test-reference/fixtures/twowayfeweights-package.json, its _source says
 * how it was run): 22 models on the wagepan_twfeweights panel rebuilt from plm's Males and on the
 * discrete-dose panel. Counts exact; β̂, the sums of positive and negative weights, both sensitivity
 * measures and two moments of the cell weights (Σ w², Σ w·(G mod 10)·t, which place every weight on its
 * cell) to 1e-10; the same for each other treatment's contamination weights. For feS, β̂ and the counts
 * only: the package's feS weights are not those of Theorem S1 (twfe-weights-types.ts says why).
 * (The package takes first differences as data; we difference y, D and the controls ourselves.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import { estimateTwfeWeights } from '../../../src/estimators/dcdh/twfe-weights-estimator.js';
import type { TwfeWeightCell } from '../../../src/estimators/dcdh/twfe-weights.js';
import type { TwfeType } from '../../../src/estimators/dcdh/twfe-weights-types.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { ROOT } from '../../../test/helpers/reference.js';
import { close, referenceCsvs } from './package-fixture.js';
import { GAPS, gappedCsv } from './gapped-panel.js';
import { smoothUnionBlips } from './wagepan-twfeweights.js';

interface Summary {
  nr_plus: number;
  nr_minus: number;
  tot_cells: number;
  sum_plus: number;
  sum_minus: number;
  sum_sq: number;
  sum_placed: number;
}
interface Model extends Summary {
  panel: 'wagepan' | 'discrete';
  args: { type: TwfeType; controls?: string | string[]; other_treatments?: string | string[]; weights?: string };
  beta: number;
  sensibility?: number;
  sensibility2?: number;
  other?: Record<string, Summary>;
}

const fixture = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'twowayfeweights-package.json'), 'utf8')) as {
  models: Record<string, Model>;
};
const files = referenceCsvs('stagger-twfew-package-');

/** Append columns computed from each row (the weights the fixture's _source names). */
function withColumns(source: string, file: string, cols: Record<string, (row: Record<string, number>) => number>): void {
  const [header, ...rows] = readFileSync(source, 'utf8').trimEnd().split('\n');
  const names = header.split(',').map((s) => s.replace(/"/g, ''));
  const out = rows.map((r) => {
    const f = r.split(',');
    const row = Object.fromEntries(names.map((nm, j) => [nm, Number(f[j])]));
    return [...f, ...Object.values(cols).map((c) => String(c(row)))].join(',');
  });
  writeFileSync(file, `${[[...names, ...Object.keys(cols)].join(','), ...out].join('\n')}\n`);
}

const PANELS = {
  wagepan: {
    id: 'nr',
    time: 'year',
    outcome: 'lwage',
    treatment: 'union',
    columns: ['married', 'health', 'hisp', 'wu', 'wt'],
    gapColumns: ['married', 'marriedm', 'health', 'wt'],
  },
  discrete: { id: 'id', time: 't', outcome: 'y', treatment: 'd', columns: ['x', 'w', 'wt'], gapColumns: ['x', 'xm', 'wt'] },
};

function csvOf(panel: 'wagepan' | 'discrete'): string {
  const file = join(files.lwage, '..', `twfew-${panel}.csv`);
  if (panel === 'wagepan') {
    const smooth = join(files.lwage, '..', 'twfew-smooth.csv');
    smoothUnionBlips(files.lwage, smooth);
    withColumns(smooth, file, { wu: (r) => 1 + (r.nr % 4), wt: (r) => 1 + ((r.nr + r.year) % 3) / 2 });
  } else withColumns(files.y, file, { wt: (r) => 1 + ((r.id + 2 * r.t) % 5) / 4 });
  return file;
}

/** Σ w² and Σ w·(G mod 10)·t (t the 1-based period) over unit-period cells. */
function moments(cells: TwfeWeightCell[], periods: Float64Array): { sq: number; placed: number } {
  let sq = 0,
    placed = 0;
  for (const c of cells) {
    sq += c.weight * c.weight;
    placed += c.weight * (Number(c.unit) % 10) * (periods.indexOf(c.time) + 1);
  }
  return { sq, placed };
}

function checkSummary(
  name: string,
  got: {
    positive: { count: number; sum: number };
    negative: { count: number; sum: number };
    treated_cells: number;
    cells: TwfeWeightCell[];
  },
  want: Summary,
  periods: Float64Array,
): void {
  assert.equal(got.positive.count, want.nr_plus, `${name}: nr_plus`);
  assert.equal(got.negative.count, want.nr_minus, `${name}: nr_minus`);
  assert.equal(got.treated_cells, want.tot_cells, `${name}: tot_cells`);
  close(got.positive.sum, want.sum_plus, 1e-10, `${name}: sum_plus`);
  close(got.negative.sum, want.sum_minus, 1e-10, `${name}: sum_minus`);
  const m = moments(got.cells, periods);
  close(m.sq, want.sum_sq, 1e-12, `${name}: Σ w²`);
  close(m.placed, want.sum_placed, 1e-9, `${name}: Σ w·(G mod 10)·t`);
}

/** Every model of a fixture against ours on the panels `csvs` names (read with their gaps when `gaps`). */
function checkModels(models: Record<string, Model>, csvs: Record<string, string>, gaps: boolean): void {
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : ([] as string[]).concat(v));
  for (const [name, m] of Object.entries(models)) {
    const p = PANELS[m.panel];
    const csv = csvs[m.panel];
    const read = readPanelCsv(csv, {
      id: p.id,
      time: p.time,
      outcome: p.outcome,
      covariates: [p.treatment, ...(gaps ? p.gapColumns : p.columns)],
      gaps,
    });
    const panel = withTreatmentColumn(read.panel, p.treatment, csv);
    const e = estimateTwfeWeights(panel, {
      twfeType: m.args.type,
      covariates: list(m.args.controls),
      otherTreatments: list(m.args.other_treatments),
      weights: m.args.weights,
    });
    const w = e.twfe_weights;
    assert.ok(w, `${name}: ${e.twfe_weights_reason}`);
    close(w.beta, m.beta, 1e-10, `${name}: beta`);
    if (m.args.type === 'feS') {
      // The package's feS weights use a forward mean of ε where Theorem S1's algebra has the forward sum
      // (twfe-weights-types.ts); the signs agree, so only the counts are compared (the sums, measures and
      // the noiseless identity β = Σ w δ are checked in test/estimators/dcdh/twfe-weights-types.test.ts).
      assert.equal(w.positive.count, m.nr_plus, `${name}: nr_plus`);
      assert.equal(w.negative.count, m.nr_minus, `${name}: nr_minus`);
      assert.equal(w.treated_cells, m.tot_cells, `${name}: tot_cells`);
      continue;
    }
    checkSummary(name, w, m, panel.periods);
    if (m.sensibility === undefined) assert.equal(w.sigma_fe, null, `${name}: no sensitivity measure with other treatments`);
    else close(w.sigma_fe, m.sensibility, 1e-9 * m.sensibility, `${name}: sensibility`);
    if (m.sensibility2 === undefined) assert.equal(w.sigma_fe_all, null, `${name}: sensibility2 only with negative weights`);
    else close(w.sigma_fe_all, m.sensibility2, 1e-9 * m.sensibility2, `${name}: sensibility2`);
    for (const [col, want] of Object.entries(m.other ?? {})) {
      const o = w.other_treatments?.find((x) => x.column === col);
      assert.ok(o, `${name}: other treatment ${col}`);
      checkSummary(`${name} ${col}`, o, want, panel.periods);
    }
  }
}

it('22 models of TwoWayFEWeights’ own R source: feS, fdTR, fdS, controls, other treatments, weights', () => {
  const names = Object.keys(fixture.models);
  assert.equal(names.length, 22);
  checkModels(fixture.models, { wagepan: csvOf('wagepan'), discrete: csvOf('discrete') }, false);
});

it('unbalanced panels with missing treatments and controls (dcdh’s gapped panels): 17 models of the package’s own R source', () => {
  const gaps = JSON.parse(readFileSync(resolve(ROOT, 'test-reference', 'fixtures', 'twowayfeweights-gaps-package.json'), 'utf8')) as {
    models: Record<string, Model>;
  };
  assert.equal(Object.keys(gaps.models).length, 17);
  const csvs: Record<string, string> = {};
  for (const [panel, { from, seed, ...g }] of Object.entries(GAPS)) {
    csvs[panel] = join(files.lwage, '..', `twfew-${panel}-gapped.csv`);
    // No outcome emptied (the fixture's _source says why).
    gappedCsv(files[from], csvs[panel], seed, { ...g, outcomeMissing: 0 });
  }
  checkModels(gaps.models, csvs, true);
});

/**
 * β̂'s CR1 SE (clustered by unit), which the package does not report, against R on the same CSV: the
 * first-difference regression by plm (pooling on the differences with year dummies, vcovHC arellano with
 * type "sss", Stata's G/(G−1)·(N−1)/(N−K)); the weighted regressions with controls by lm with unit and
 * year dummies and the cluster sandwich written out, K not counting the unit dummies nested in the
 * clusters (fixest's default, as ours).
 */
const SE_R = `
suppressMessages(library(plm))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1]); d <- d[order(d$nr, d$year), ]
df <- function(v) ave(v, d$nr, FUN = function(x) c(NA, diff(x)))
d$dy <- df(d$lwage); d$dd <- df(d$union); d$dm <- df(d$married); d$dh <- df(d$health)
s <- subset(d, !is.na(dy))
m <- plm(dy ~ dd + factor(year), data = s, model = "pooling", index = c("nr", "year"))
fd <- c(coef(m)["dd"], sqrt(vcovHC(m, method = "arellano", type = "sss", cluster = "group")["dd", "dd"]))
cr1 <- function(fit, data, nested) {
  X <- model.matrix(fit); X <- X[, !is.na(coef(fit)), drop = FALSE]; w <- weights(fit); e <- residuals(fit)
  B <- solve(crossprod(X, X * w)); S <- rowsum(X * (w * e), data$nr)
  N <- nrow(X); G <- nrow(S); K <- ncol(X) - nested * (G - 1)
  sqrt((B %*% crossprod(S) %*% B)[2, 2] * G / (G - 1) * (N - 1) / (N - K))
}
f1 <- lm(lwage ~ union + married + factor(nr) + factor(year), data = d, weights = wt)
f2 <- lm(dy ~ dd + dm + dh + factor(year), data = s, weights = wu)
out <- c(fd, coef(f1)["union"], cr1(f1, d, TRUE), coef(f2)["dd"], cr1(f2, s, FALSE))
cat(sprintf("%.17g", out), sep = "\\n")
`;

it('β̂ and its CR1 SE = plm (first differences) and lm with dummies (weights and controls, fixed effects and first differences)', () => {
  const csv = csvOf('wagepan');
  const r = execFileSync('Rscript', ['-e', SE_R, csv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [fdB, fdSe, feB, feSe, fdsB, fdsSe] = r.trim().split('\n').map(Number);
  const p = PANELS.wagepan;
  const read = readPanelCsv(csv, { id: p.id, time: p.time, outcome: p.outcome, covariates: [p.treatment, ...p.columns] });
  const panel = withTreatmentColumn(read.panel, p.treatment, csv);
  const simple = (o: Parameters<typeof estimateTwfeWeights>[1]) => estimateTwfeWeights(panel, o).aggregates.simple!;
  const a = simple({ twfeType: 'fdTR' });
  close(a.att, fdB, 1e-12, 'fd β');
  close(a.se, fdSe, 1e-12, 'fd SE (plm)');
  const b = simple({ twfeType: 'feTR', covariates: ['married'], weights: 'wt' });
  close(b.att, feB, 1e-11, 'weighted fe β with married');
  close(b.se, feSe, 1e-11, 'weighted fe SE with married');
  const c = simple({ twfeType: 'fdS', covariates: ['married', 'health'], weights: 'wu' });
  close(c.att, fdsB, 1e-12, 'weighted fd β with Δmarried, Δhealth');
  close(c.se, fdsSe, 1e-12, 'weighted fd SE');
});
