/**
 * The usual confidence interval for θ = l'τ_post under exact parallel trends (HonestDiD's
 * constructOriginalCS): l'β̂_post ± z_{1−α/2} · sqrt(l'Σ_post l), Σ_post the post-period block of Σ.
 */
import { qnorm } from '../stats/normal.js';
import type { EventStudyCoefficients } from './types.js';

/** l'β̂_post and its standard error sqrt(l'Σ_post l). */
export function targetEstimate(coef: EventStudyCoefficients): { theta: number; se: number } {
  const { betahat, sigma, numPre, numPost, lVec } = coef;
  let theta = 0;
  let v = 0;
  for (let i = 0; i < numPost; i++) {
    theta += lVec[i] * betahat[numPre + i];
    for (let j = 0; j < numPost; j++) v += lVec[i] * sigma[numPre + i][numPre + j] * lVec[j];
  }
  return { theta, se: Math.sqrt(Math.max(0, v)) };
}

/** The (1 − alpha) interval l'β̂_post ± z·se. */
export function originalCi(coef: EventStudyCoefficients, alpha: number): { lb: number; ub: number } {
  const { theta, se } = targetEstimate(coef);
  const z = qnorm(1 - alpha / 2);
  return { lb: theta - z * se, ub: theta + z * se };
}
