/**
 * The panel TwoWayFEWeights' authors test on (their wagepan_twfeweights, described by their build
 * script Stata/wagepan_twfew_build.do): Wooldridge's wagepan with one-year blips of `union` smoothed
 * away. For each year 1981 … 1986 in turn, rows sorted by unit and year, a 1 between two 0s becomes 0,
 * then a 0 between two 1s becomes 1 (each year sees the previous year's smoothed value). Our own code,
 * applied to the wagepan export of r-cran-plm's Males (wagepan-export.ts); nothing of theirs is used.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function smoothUnionBlips(source: string, file: string): void {
  const [header, ...rows] = readFileSync(source, 'utf8').trimEnd().split('\n');
  const names = header.split(',').map((s) => s.replace(/"/g, ''));
  const [iu, iy, ii] = ['union', 'year', 'nr'].map((c) => names.indexOf(c));
  const f = rows.map((r) => r.split(','));
  f.sort((a, b) => Number(a[ii]) - Number(b[ii]) || Number(a[iy]) - Number(b[iy]));
  for (let year = 1981; year <= 1986; year++)
    for (let r = 1; r < f.length - 1; r++) {
      if (Number(f[r][iy]) !== year) continue;
      const [before, after] = [f[r - 1][iu], f[r + 1][iu]];
      if (f[r][iu] === '1' && before === '0' && after === '0') f[r][iu] = '0';
      if (f[r][iu] === '0' && before === '1' && after === '1') f[r][iu] = '1';
    }
  writeFileSync(file, `${[names.join(','), ...f.map((x) => x.join(','))].join('\n')}\n`);
}
