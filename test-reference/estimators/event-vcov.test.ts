/**
 * The dynamic aggregate's event-study covariance (AggregateEstimate.vcov) of did, twfe, sunab, bjs and etwfe on
 * mpdta (../shared/reference/did/mpdta.csv, R did's example panel, not copied into the project):
 * - every family: diag(vcov) = SE² of its detail rows to 1e-12 (relative), symmetric, null exactly in
 *   the rows and columns of rows without an SE (the reference row);
 * - every family: w'Vw with w the mean over the post-period rows equals the SE² of the overall dynamic
 *   figure the estimator reports for that average (var of a linear combination of rows), for did
 *   against R did 2.5.1's printed aggte(type = "dynamic") SE in ../shared/reference/did/mpdta.json
 *   (all 48 option sets, 1e-4 relative on the SE, the parity tolerance);
 * - twfe and etwfe: the whole matrix against R's lm + sandwich::vcovCL (below).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { estimateBjs } from '../../src/estimators/bjs/index.js';
import { estimateDid } from '../../src/estimators/did/index.js';
import { estimateEtwfe } from '../../src/estimators/etwfe/index.js';
import { estimateSunab } from '../../src/estimators/sunab/index.js';
import { estimateTwfe } from '../../src/estimators/twfe/index.js';
import type { AggregateEstimate } from '../../src/estimators/types.js';
import { readPanelCsv } from '../../src/panel/csv.js';
import { didOptionsOf } from '../../test/helpers/did-parity.js';
import { loadReference, ROOT, sharedFile } from '../../test/helpers/reference.js';

function mpdta(covariates: string[] = []) {
  return readPanelCsv(sharedFile('did', 'mpdta.csv'), { id: 'id', time: 'period', group: 'first_treat', outcome: 'y', covariates }).panel;
}

/** diag = SE², symmetry, nulls where the SE is null. */
function checkShape(agg: AggregateEstimate, what: string): void {
  const d = agg.detail!;
  const V = agg.vcov!;
  assert.ok(V, `${what}: vcov present`);
  assert.equal(V.length, d.length, `${what}: one row per detail row`);
  d.forEach((r, a) => {
    assert.equal(V[a].length, d.length);
    if (r.se === null) {
      assert.ok(
        V[a].every((v) => v === null),
        `${what}: row ${r.key} has no SE, so no covariance`,
      );
      return;
    }
    const v = V[a][a]!;
    assert.ok(Math.abs(v - r.se * r.se) <= 1e-12 * r.se * r.se, `${what}: e=${r.key} diag ${v} vs SE² ${r.se * r.se}`);
    d.forEach((s, b) => {
      if (s.se === null) assert.equal(V[a][b], null);
      else assert.equal(V[a][b], V[b][a], `${what}: symmetric at (${r.key}, ${s.key})`);
    });
  });
}

/** w'Vw over the post-period rows (key ≥ 0), w = 1/#post. */
function postMeanVariance(agg: AggregateEstimate): number {
  const d = agg.detail!;
  const post = d.map((r, a) => (r.key >= 0 ? a : -1)).filter((a) => a >= 0);
  let v = 0;
  for (const a of post) for (const b of post) v += agg.vcov![a][b]! / (post.length * post.length);
  return v;
}

describe('event-study covariance on mpdta', () => {
  it('did: diag = SE², and the post-mean w′Vw = R did 2.5.1’s dynamic overall SE² (all 48 option sets of mpdta.json)', () => {
    const { panel, entries } = loadReference('mpdta');
    assert.equal(entries.length, 48);
    const bad: string[] = [];
    for (const e of entries) {
      const out = estimateDid(panel, { ...didOptionsOf(e), pretest: false });
      const agg = out.aggregates.dynamic!;
      checkShape(agg, JSON.stringify(e.options));
      const se = Math.sqrt(postMeanVariance(agg));
      // R's overall dynamic SE (mpdta.json: entries[k].dynamic.se) and our own overall SE.
      if (Math.abs(se - e.dynamic.se) > 1e-4 * e.dynamic.se) bad.push(`${JSON.stringify(e.options)}: ours ${se} R ${e.dynamic.se}`);
      assert.ok(Math.abs(se - agg.se!) <= 1e-10 * agg.se!, 'w′Vw = our own overall SE²');
    }
    assert.deepEqual(bad, []);
  });

  it('did with dynamic_pre_avg: w′Vw over the pre-period rows = the pre-average’s SE² (an identity, 1e-10)', () => {
    const agg = estimateDid(mpdta(), { averages: { dynamicPreAvg: [-3, -1] } }).aggregates.dynamic!;
    assert.ok(agg.pre?.se, 'dynamic_pre_avg row present');
    checkPre(agg);
  });

  it('did clustered (a cluster column) and with the bootstrap: diag = the analytic clustered SE², w′Vw = the overall SE²', () => {
    // Clusters of 10 counties each (id order): clusterInPlace's SEs are the reference here.
    const p = mpdta();
    const cluster = new Float64Array(p.nUnits);
    for (let i = 0; i < p.nUnits; i++) cluster[i] = Math.floor(i / 10);
    const agg = estimateDid({ ...p, cluster }).aggregates.dynamic!;
    checkShape(agg, 'clustered');
    assert.ok(Math.abs(postMeanVariance(agg) - agg.se! ** 2) <= 1e-10 * agg.se! ** 2);
    const unclustered = estimateDid(p).aggregates.dynamic!;
    assert.notEqual(agg.vcov![0][0], unclustered.vcov![0][0]);
  });

  it('twfe: the event-study vcov = R lm + sandwich::vcovCL(HC0, cadjust) · (N−1)/(N−K), K = k + T (fixest’s nested count), 1e-8', () => {
    // R 4.2.2, sandwich 3.0.2 (Debian), on ../shared/reference/did/mpdta.csv:
    //   d <- read.csv("mpdta.csv"); d$e <- ifelse(d$first_treat > 0, d$period - d$first_treat, NA)
    //   for (k in c(-4,-3,-2,0,1,2,3)) d[[paste0("e", ifelse(k<0, paste0("m",-k), k))]] <- as.numeric(!is.na(d$e) & d$e == k)
    //   fit <- lm(y ~ em4 + em3 + em2 + e0 + e1 + e2 + e3 + factor(id) + factor(period), data = d)
    //   V <- vcovCL(fit, cluster = ~id, type = "HC0", cadjust = TRUE)   # G/(G−1) only
    //   options(digits = 17); print(coef(fit)[nm]); print(V[nm, nm])
    // vcovCL's HC1 would count all 500 unit dummies in K; our CR1 is fixest's (K = k + T, the unit
    // effects nested in the clusters), so the HC0 matrix is scaled by (N − 1)/(N − K) here.
    const coefR = [
      0.0035493269192166509, 0.0246235019865302766, 0.0233548148862124175, -0.0181439269668350507, -0.0434723726287147422,
      -0.1317948577543230637, -0.0922467941817431969,
    ];
    const VR = [
      [
        5.1885017909275826e-4, 3.0014437085651831e-4, 1.6196569029342555e-4, -1.368981439442396e-6, -8.3923705456140364e-8,
        -9.5086291109168717e-5, -1.0920645557044556e-4,
      ],
      [
        3.0014437085651847e-4, 3.1118435000873862e-4, 1.6572865803881671e-4, 1.824882738249494e-5, -1.770625446830304e-5,
        -7.2774641182682853e-5, -7.8277989963125157e-5,
      ],
      [
        1.6196569029342545e-4, 1.6572865803881666e-4, 1.797501747516416e-4, 1.8153730032595313e-5, -3.9507797976795862e-6,
        -5.4312453777739327e-5, -5.7803425570043244e-5,
      ],
      [
        -1.3689814394425788e-6, 1.824882738249475e-5, 1.8153730032595241e-5, 1.2007822589269479e-4, 8.6093251983096529e-5,
        1.0975258131202901e-4, 1.0167360132886756e-4,
      ],
      [
        -8.3923705456193105e-8, -1.7706254468303162e-5, -3.9507797976796497e-6, 8.6093251983096543e-5, 3.0758914578873171e-4,
        2.951345691052053e-4, 3.1258079900792527e-4,
      ],
      [
        -9.5086291109168703e-5, -7.277464118268284e-5, -5.4312453777739245e-5, 1.0975258131202903e-4, 2.951345691052053e-4,
        8.2793557809865631e-4, 5.6704222754630951e-4,
      ],
      [
        -1.0920645557044566e-4, -7.8277989963125292e-5, -5.7803425570043292e-5, 1.0167360132886756e-4, 3.1258079900792511e-4,
        5.670422275463094e-4, 1.0410267779309794e-3,
      ],
    ];
    const keys = [-4, -3, -2, 0, 1, 2, 3];
    const agg = estimateTwfe(mpdta()).aggregates.dynamic!;
    checkShape(agg, 'twfe');
    const N = 2500,
      K = 7 + 5;
    const scale = (N - 1) / (N - K);
    const at = new Map(agg.detail!.map((d, a) => [d.key, a]));
    keys.forEach((ka, a) => {
      const ia = at.get(ka)!;
      assert.ok(Math.abs(agg.detail![ia].att! - coefR[a]) < 1e-10, `coef e=${ka}`);
      keys.forEach((kb, b) => {
        const ours = agg.vcov![ia][at.get(kb)!]!;
        const r = VR[a][b] * scale;
        assert.ok(Math.abs(ours - r) <= 1e-8 * Math.abs(r) + 1e-15, `V(${ka},${kb}): ours ${ours} R ${r}`);
      });
    });
    assert.ok(Math.abs(postMeanVariance(agg) - agg.se! ** 2) <= 1e-12 * agg.se! ** 2);
  });

  it('twfe with vcov cr2 (SEs from the observation-level refit): no matrix, since it would not be the SEs’ own', () => {
    const agg = estimateTwfe(mpdta(), { vcov: 'cr2' }).aggregates.dynamic!;
    assert.ok(agg.detail!.some((d) => d.se !== null));
    assert.equal(agg.vcov, undefined);
  });

  it('etwfe (the vignette model, lemp ~ lpop): the emfx event-time vcov = R lm + sandwich::vcovCL of the cells, aggregated W V W′, 1e-8', () => {
    // R 4.2.2, sandwich 3.0.2 (Debian), on ../shared/reference/did/mpdta.csv — etwfe's regression written
    // out as lm (fixest and etwfe are not installable here), its emfx event weights by hand:
    //   d <- read.csv("mpdta.csv"); d$xdm <- d$lpop - ave(d$lpop, d$first_treat)   # ẋ: lpop is time-invariant, balanced
    //   for each treated cell (g, t), t >= g: D_gt = 1{first_treat = g, period = t} and D_gt·xdm as regressors
    //   fit <- lm(y ~ D.. + D..:xdm + factor(first_treat) + factor(period) + lpop:factor(first_treat) + lpop:factor(period), d)
    //   V <- vcovCL(fit, cluster = ~id, type = "HC0", cadjust = TRUE) * (N − 1)/(N − K), N = 2500,
    //     K = 7 + 7 + 4 + 4 + 4 = 26 (the cohort effects nested in the unit clusters, fixest's count)
    //   W[e, D_gt] = #obs in the cell, W[e, D_gt:xdm] = Σ xdm over it, rows normalised by their D weights
    //   options(digits = 17); print(W %*% V %*% t(W))
    const VR = [
      [1.783601694456085e-4, 8.4250056605351226e-5, 6.336425648104449e-5, 8.399591146553854e-5],
      [8.4250056605350982e-5, 2.9363476568476844e-4, 2.6748903263122665e-4, 2.612332967173062e-4],
      [6.3364256481043094e-5, 2.6748903263122675e-4, 9.4639052973044839e-4, 6.487525559527779e-4],
      [8.399591146553499e-5, 2.6123329671729834e-4, 6.4875255595275752e-4, 1.04258899925580733e-3],
    ];
    const agg = estimateEtwfe(mpdta(['lpop']), { covariates: ['lpop'] }).aggregates.dynamic!;
    checkShape(agg, 'etwfe');
    assert.deepEqual(
      agg.detail!.map((d) => d.key),
      [0, 1, 2, 3],
    );
    VR.forEach((row, a) =>
      row.forEach((r, b) => {
        const ours = agg.vcov![a][b]!;
        assert.ok(Math.abs(ours - r) <= 1e-8 * Math.abs(r), `V(${a},${b}): ours ${ours} R ${r}`);
      }),
    );
    // etwfe's overall dynamic is the mean of its event-time rows (all post-period here).
    assert.ok(Math.abs(postMeanVariance(agg) - agg.se! ** 2) <= 1e-10 * agg.se! ** 2);
  });

  for (const [name, run] of [
    ['sunab', () => estimateSunab(mpdta())],
    ['bjs', () => estimateBjs(mpdta())],
  ] as const) {
    it(`${name}: diag = SE², and the post-mean w′Vw = its overall dynamic SE² (1e-10)`, () => {
      const agg = run().aggregates.dynamic!;
      checkShape(agg, name);
      assert.ok(agg.detail!.some((d) => d.key >= 0));
      const v = postMeanVariance(agg);
      assert.ok(Math.abs(v - agg.se! ** 2) <= 1e-10 * agg.se! ** 2, `${name}: ${v} vs ${agg.se! ** 2}`);
      // Off-diagonals are not all zero (the rows share the control cohort / the first stage).
      assert.ok(agg.vcov!.some((row, a) => row.some((v2, b) => a !== b && v2 !== null && Math.abs(v2) > 1e-8)));
    });
  }
});

function checkPre(agg: AggregateEstimate): void {
  checkShape(agg, 'did pre');
  const d = agg.detail!;
  const pre = d.map((r, a) => (r.key >= -3 && r.key <= -1 && r.se !== null ? a : -1)).filter((a) => a >= 0);
  let v = 0;
  for (const a of pre) for (const b of pre) v += agg.vcov![a][b]! / (pre.length * pre.length);
  assert.ok(Math.abs(v - agg.pre!.se! ** 2) <= 1e-10 * agg.pre!.se! ** 2, `pre: ${v} vs ${agg.pre!.se! ** 2}`);
}

it('stagger estimate --json exports the covariance at aggregates.dynamic.vcov (did and twfe), equal to the library’s', () => {
  const CLI = resolve(ROOT, 'dist', 'src', 'cli', 'main.js');
  for (const [est, lib] of [
    ['did', () => estimateDid(mpdta())],
    ['twfe', () => estimateTwfe(mpdta())],
  ] as const) {
    const r = spawnSync(process.execPath, [CLI, 'estimate', '--data', sharedFile('did', 'mpdta.csv'), '--estimator', est, '--json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.aggregates.dynamic.vcov, lib().aggregates.dynamic!.vcov, est);
  }
});
