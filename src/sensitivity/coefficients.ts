/**
 * Event-study coefficients from a coef.json (HonestDiD's inputs: betahat, sigma, numPrePeriods,
 * numPostPeriods, l_vec), checked: every error names the file, the path inside it, what was expected
 * and what was found.
 */
import { symEigen } from '../linalg/sym-eigen.js';
import type { EventStudyCoefficients } from './types.js';

/** Bad coefficients input; named InputError so the CLI reports it as the user's input (exit 2). */
export class CoefficientsError extends Error {
  override name = 'InputError';
}

const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

function numberArray(file: string, path: string, v: unknown, length?: number): number[] {
  if (!Array.isArray(v)) throw new CoefficientsError(`${file}: ${path}: expected an array of numbers, found ${shown(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new CoefficientsError(`${file}: ${path}[${i}]: expected a finite number, found ${shown(x)}`);
  });
  if (length !== undefined && v.length !== length)
    throw new CoefficientsError(`${file}: ${path}: expected ${length} numbers, found ${v.length}`);
  return v as number[];
}

function whole(file: string, path: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new CoefficientsError(`${file}: ${path}: expected a whole number ≥ 1, found ${shown(v)}`);
  return v;
}

/**
 * Check and convert a parsed coef.json. `lVec` (e.g. from --l-vec) overrides the file's l_vec; the
 * default is HonestDiD's basisVector(1): the first post-period.
 */
export function coefficientsFrom(file: string, raw: unknown, lVec?: number[]): EventStudyCoefficients {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new CoefficientsError(`${file}: expected a JSON object {"betahat", "sigma", "num_pre", "num_post"}, found ${shown(raw)}`);
  const o = raw as Record<string, unknown>;
  for (const key of ['betahat', 'sigma', 'num_pre', 'num_post']) {
    if (!(key in o)) throw new CoefficientsError(`${file}: ${key}: missing (expected betahat, sigma, num_pre, num_post; l_vec optional)`);
  }
  const betahat = numberArray(file, 'betahat', o.betahat);
  const n = betahat.length;
  const numPre = whole(file, 'num_pre', o.num_pre);
  const numPost = whole(file, 'num_post', o.num_post);
  if (numPre + numPost !== n)
    throw new CoefficientsError(
      `${file}: num_pre + num_post: expected the length of betahat (${n}), found ${numPre} + ${numPost} = ${numPre + numPost}`,
    );
  if (!Array.isArray(o.sigma))
    throw new CoefficientsError(`${file}: sigma: expected a ${n} × ${n} array of arrays, found ${shown(o.sigma)}`);
  if (o.sigma.length !== n)
    throw new CoefficientsError(`${file}: sigma: expected ${n} rows (the length of betahat), found ${o.sigma.length}`);
  const sigma = o.sigma.map((row, i) => numberArray(file, `sigma[${i}]`, row, n));
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(sigma[i][i]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(sigma[i][j] - sigma[j][i]) > 1e-8 * Math.max(scale, 1e-300))
        throw new CoefficientsError(
          `${file}: sigma[${i}][${j}]: expected a symmetric matrix (sigma[${j}][${i}] = ${sigma[j][i]}), found ${sigma[i][j]}`,
        );
    }
  }
  const flat = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) flat[i * n + j] = 0.5 * (sigma[i][j] + sigma[j][i]);
  const minEig = Math.min(...symEigen(flat, n).values);
  if (minEig < -1e-10 * Math.max(scale, 1e-300))
    throw new CoefficientsError(
      `${file}: sigma: expected a positive semi-definite covariance, found the smallest eigenvalue ${Number(minEig.toPrecision(6))}`,
    );
  let l: number[];
  if (lVec !== undefined) {
    if (lVec.length !== numPost) throw new CoefficientsError(`--l-vec: expected ${numPost} weights (num_post), found ${lVec.length}`);
    l = lVec;
  } else if (o.l_vec !== undefined) {
    l = numberArray(file, 'l_vec', o.l_vec, numPost);
  } else {
    l = new Array<number>(numPost).fill(0);
    l[0] = 1;
  }
  if (l.every((v) => v === 0))
    throw new CoefficientsError(`${lVec ? '--l-vec' : `${file}: l_vec`}: expected weights not all zero, found ${shown(l)}`);
  return { betahat, sigma, numPre, numPost, lVec: l };
}
