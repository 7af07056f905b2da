/**
 * The sign and monotonicity restrictions HonestDiD intersects with a base restriction (Rambachan &
 * Roth 2023, sec. 2.4.3 "Sign and monotonicity restrictions"): rows Bδ ≤ 0 appended to the base
 * polyhedron's {δ : Aδ ≤ d}, in HonestDiD's layout (δ = pre-periods then post-periods, the reference
 * period δ_0 = 0 left out).
 *
 *   sign (biasDirection):            positive δ_t ≥ 0, negative δ_t ≤ 0, for every post-period t;
 *   monotonicity (monotonicityDirection): increasing δ_{t−1} ≤ δ_t, decreasing δ_{t−1} ≥ δ_t, for every
 *                                    t from −K+1 to T̄ (through δ_0 = 0).
 */

export type BiasDirection = 'positive' | 'negative';
export type MonotonicityDirection = 'increasing' | 'decreasing';
export const BIAS_DIRECTIONS: readonly BiasDirection[] = ['positive', 'negative'];
export const MONOTONICITY_DIRECTIONS: readonly MonotonicityDirection[] = ['increasing', 'decreasing'];

/** At most one of the two, as HonestDiD ("Please select either a shape restriction or sign restriction (not both)"). */
export type Shape = { bias: BiasDirection } | { monotonicity: MonotonicityDirection };

/**
 * The sign rows (HonestDiD .create_A_B): −δ_t ≤ 0 (positive) or δ_t ≤ 0 (negative), one per post-period,
 * on the numPre + numPost columns.
 */
export function signRows(numPre: number, numPost: number, direction: BiasDirection): number[][] {
  const s = direction === 'positive' ? -1 : 1;
  return Array.from({ length: numPost }, (_, t) => {
    const row = new Array<number>(numPre + numPost).fill(0);
    row[numPre + t] = s;
    return row;
  });
}

/**
 * The monotonicity rows (HonestDiD .create_A_M), one per period: for increasing, δ_{−K+r} − δ_{−K+r+1} ≤ 0
 * between pre-periods, δ_{−1} ≤ 0 and −δ_1 ≤ 0 into and out of the reference period, δ_{t−1} − δ_t ≤ 0
 * between post-periods; decreasing negates every row. With one pre-period HonestDiD's loop
 * `for (r in 1:(numPrePeriods − 1))` runs over 1:0 and writes δ_{−1} − δ_1 into the row meant for
 * δ_{−1} ≤ 0; we keep the restriction the paper states (δ_{−1} ≤ δ_0 = 0).
 */
export function monotonicityRows(numPre: number, numPost: number, direction: MonotonicityDirection): number[][] {
  const T = numPre + numPost;
  const rows: number[][] = [];
  const row = (): number[] => new Array<number>(T).fill(0);
  for (let r = 0; r < numPre - 1; r++) {
    const a = row();
    a[r] = 1;
    a[r + 1] = -1;
    rows.push(a);
  }
  if (numPre > 0) {
    const a = row();
    a[numPre - 1] = 1;
    rows.push(a);
  }
  if (numPost > 0) {
    const a = row();
    a[numPre] = -1;
    rows.push(a);
    for (let r = numPre + 1; r < T; r++) {
      const b = row();
      b[r - 1] = 1;
      b[r] = -1;
      rows.push(b);
    }
  }
  return direction === 'increasing' ? rows : rows.map((a) => a.map((v) => (v === 0 ? 0 : -v)));
}

/** The rows a shape adds (sign: numPost rows, monotonicity: numPre + numPost rows); d is 0 on all of them. */
export function shapeRows(numPre: number, numPost: number, shape: Shape): number[][] {
  return 'bias' in shape ? signRows(numPre, numPost, shape.bias) : monotonicityRows(numPre, numPost, shape.monotonicity);
}

/** HonestDiD's Delta label suffix: PB / NB (sign), I / D (monotonicity), '' without a shape. */
export function shapeSuffix(shape: Shape | undefined): string {
  if (!shape) return '';
  if ('bias' in shape) return shape.bias === 'positive' ? 'PB' : 'NB';
  return shape.monotonicity === 'increasing' ? 'I' : 'D';
}

/** How the shape reads in messages and the JSON: `bias_direction positive`. */
export function shapeText(shape: Shape): string {
  return 'bias' in shape ? `bias_direction ${shape.bias}` : `monotonicity_direction ${shape.monotonicity}`;
}

/** The JSON fields that record a shape. */
export function shapeFields(shape: Shape | undefined): { bias_direction?: BiasDirection; monotonicity_direction?: MonotonicityDirection } {
  if (!shape) return {};
  return 'bias' in shape ? { bias_direction: shape.bias } : { monotonicity_direction: shape.monotonicity };
}

/** The post-period rows of a constraint matrix (HonestDiD's postPeriodMomentsOnly selection). */
export function rowsTouchingPost(a: readonly number[][], numPre: number): number[] {
  const out: number[] = [];
  a.forEach((row, i) => {
    if (row.slice(numPre).some((v) => v !== 0)) out.push(i);
  });
  return out;
}
