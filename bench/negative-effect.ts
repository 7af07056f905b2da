/**
 * `npm run bench negative-effect`: the README's figure for the limit that stays on the extensive
 * margin: R1's earnings world with a −300 kr/month plateau (no target, no heterogeneity by sex)
 * realises less than −300 at event month 10, because a probability cannot fall below 0 where many
 * cells are near it. Mean of Y(1) − Y(0) over treated units at event month 10, 40 draws.
 */
import { fileURLToPath } from 'node:url';
import { expandGrid, generateDraw } from '../src/generate.js';
import { parseSetting, scenarioWithSettings } from '../src/engine/settings.js';

export function benchNegativeEffect(draws = 40): void {
  const file = fileURLToPath(new URL('../../scenarios/r1-isf-waitlist.yaml', import.meta.url));
  const sets = ['effect.target=null', 'effect.size=-300', 'effect.by_covariate={}'];
  const [p] = expandGrid(scenarioWithSettings(file, sets.map(parseSetting)));
  let s = 0;
  let s2 = 0;
  let k = 0;
  for (let d = 0; d < draws; d++) {
    const dr = generateDraw(p, 'neg', d);
    const n = dr.panel.nUnits;
    const periods = [...dr.panel.periods];
    for (let i = 0; i < n; i++) {
      const st = dr.start![i];
      if (!Number.isFinite(st)) continue;
      const t = periods.indexOf(st + 10);
      if (t < 0) continue;
      const v = dr.y1[t * n + i] - dr.y0[t * n + i];
      s += v;
      s2 += v * v;
      k++;
    }
  }
  const m = s / k;
  const se = Math.sqrt((s2 / k - m * m) / k);
  console.log(
    `negative effect on R1's earnings (${sets.join(' ')}): mean Y(1) − Y(0) at event month 10 = ${m.toFixed(1)} ± ${se.toFixed(1)} kr/month (stated −300; ${k} treated unit-months, ${draws} draws, seed "neg")`,
  );
}
