/**
 * The narrowed averages of the Callaway–Sant'Anna aggregation against R did 2.5.1 on mpdta
 * (../shared/reference/did/mpdta.json: aggte's dynamic and group aggregations, all 48 option sets):
 * dynamic_avg over [from, to] is aggte(type = "dynamic", min_e = from, max_e = to)$overall.att, the
 * mean of R's θ(e) over the window (compute.aggte.R: mean(dynamic.att.e[eseq >= 0])); a one-period
 * window is R's θ(e) with its SE; the whole window is R's overall with its SE. dynamic_pre_avg is the
 * mean of R's pre-period θ(e). group_avg without groups re-weights R's θ(g) by group share; left with
 * one group, the weights no longer vary and its SE is R's θ(g) SE (the weight effect vanishes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateDid } from '../../../src/estimators/did/index.js';
import type { AverageOptions } from '../../../src/estimands/averages.js';
import { didOptionsOf } from '../../../test/helpers/did-parity.js';
import { close, loadReference } from '../../../test/helpers/reference.js';

describe('narrowed averages against R did on mpdta', () => {
  const { panel, entries } = loadReference('mpdta');
  const run = (e: (typeof entries)[number], averages: AverageOptions) =>
    estimateDid(panel, { ...didOptionsOf(e), pretest: false, averages });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it("dynamic_avg over an event window and dynamic_pre_avg: R did's θ(e) averaged over it (48 option sets)", () => {
    const bad: string[] = [];
    for (const [k, e] of entries.entries()) {
      const rd = new Map(e.dynamic.detail.map((d) => [d.key, d]));
      const post = e.dynamic.detail.filter((d) => d.key >= 0).map((d) => d.key);
      const pre = e.dynamic.detail.filter((d) => d.key < 0).map((d) => d.key);
      const maxE = Math.max(...post);
      // The whole window: R's overall, estimate and SE.
      const whole = run(e, { dynamicAvg: [0, maxE] }).aggregates.dynamic!;
      if (!close(whole.att, e.dynamic.att, 1e-6) || !close(whole.se, e.dynamic.se, 1e-4))
        bad.push(`${k} [0, ${maxE}]: ${whole.att} (${whole.se}) R ${e.dynamic.att} (${e.dynamic.se})`);
      if (whole.averages !== `event times 0..${maxE}`) bad.push(`${k}: label ${whole.averages}`);
      // From event time 1: the mean of R's θ(1..maxE).
      const from1 = run(e, { dynamicAvg: [1, maxE] }).aggregates.dynamic!;
      const want = mean(post.filter((x) => x >= 1).map((x) => rd.get(x)!.att));
      if (!close(from1.att, want, 1e-6)) bad.push(`${k} [1, ${maxE}]: ${from1.att} R mean ${want}`);
      // One event time: R's θ(e) and its SE.
      const e1 = post[post.length - 1];
      const one = run(e, { dynamicAvg: [e1, e1], dynamicPreAvg: [pre[pre.length - 1], pre[pre.length - 1]] }).aggregates.dynamic!;
      const r2 = rd.get(e1)!;
      if (!close(one.att, r2.att, 1e-6) || !close(one.se, r2.se, 1e-4))
        bad.push(`${k} [${e1}, ${e1}]: ${one.att} (${one.se}) R ${r2.att} (${r2.se})`);
      const rLast = rd.get(pre[pre.length - 1])!;
      if (rLast.se !== null && rLast.se > 0 && (!close(one.pre!.att, rLast.att, 1e-6) || !close(one.pre!.se, rLast.se, 1e-4)))
        bad.push(`${k} pre [${rLast.key}]: ${one.pre!.att} (${one.pre!.se}) R ${rLast.att} (${rLast.se})`);
      // The whole pre-period window: the mean of R's pre-period θ(e).
      const allPre = run(e, { dynamicPreAvg: [pre[0], -1] }).aggregates.dynamic!.pre!;
      const wantPre = mean(pre.map((x) => rd.get(x)!.att));
      if (!close(allPre.att, wantPre, 1e-6) || !(allPre.se! > 0))
        bad.push(`${k} pre [${pre[0]}, −1]: ${allPre.att} (${allPre.se}) R mean ${wantPre}`);
    }
    assert.deepEqual(bad, []);
  });

  it("group_avg without start groups: R's θ(g) re-weighted by group share; one group left gives R's θ(g) and SE", () => {
    const n = panel.nUnits;
    const share = (g: number) => panel.group.filter((x) => x === g).length / n;
    const bad: string[] = [];
    for (const [k, e] of entries.entries()) {
      const rg = e.group.detail; // of groups 2004, 2006, 2007 (ranks 1, 2, 3); 2004 is dropped with δ = 1
      const no3 = run(e, { excludeGroups: [3] }).aggregates.group!;
      const kept = rg.filter((d) => d.key !== 2007);
      const want = kept.reduce((s, d) => s + share(d.key) * d.att, 0) / kept.reduce((s, d) => s + share(d.key), 0);
      if (!close(no3.att, want, 1e-6)) bad.push(`${k} without 3: ${no3.att} R ${want}`);
      if (no3.averages !== 'start groups without 3') bad.push(`${k}: label ${no3.averages}`);
      const others = [2004, 2006, 2007].map((g, r) => (g === rg[0].key ? 0 : r + 1)).filter((r) => r > 0);
      const only1 = run(e, { excludeGroups: others }).aggregates.group!;
      if (!close(only1.att, rg[0].att, 1e-6) || !close(only1.se, rg[0].se, 1e-4))
        bad.push(`${k} only ${rg[0].key}: ${only1.att} (${only1.se}) R ${rg[0].att} (${rg[0].se})`);
      const all = run(e, {}).aggregates.group!;
      if (!close(all.att, e.group.att, 1e-6) || !close(all.se, e.group.se, 1e-4) || all.averages !== undefined)
        bad.push(`${k} default: ${all.att}`);
    }
    assert.deepEqual(bad, []);
  });
});
