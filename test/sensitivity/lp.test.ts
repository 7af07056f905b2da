/**
 * The LP solver against closed forms and R's lpSolve 5.6 (Debian r-cran-lpsolve). Every R call that
 * produced an expected number is quoted next to it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { solveLp } from '../../src/linalg/lp.js';

const close = (a: number, b: number, tol = 1e-10, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('solveLp', () => {
  it('the textbook maximisation: optimum, solution and shadow prices as lpSolve gives them', () => {
    // R: lp("max", c(3,5), rbind(c(1,0),c(0,2),c(3,2)), rep("<=",3), c(4,12,18), compute.sens=TRUE)
    //   $objval 36, $solution 2 6, $duals 0 1.5 1 (shadow prices of the max problem)
    const r = solveLp({
      c: [3, 5],
      aUb: [
        [1, 0],
        [0, 2],
        [3, 2],
      ],
      bUb: [4, 12, 18],
      maximize: true,
    });
    assert.equal(r.status, 'optimal');
    close(r.value!, 36, 1e-12, 'value');
    close(r.x![0], 2, 1e-12, 'x1');
    close(r.x![1], 6, 1e-12, 'x2');
    // Ours are the multipliers of min −c'x, λ ≥ 0: equal to the max problem's shadow prices.
    [0, 1.5, 1].forEach((d, i) => close(r.dualUb![i], d, 1e-12, `dual ${i}`));
  });

  it('equalities and ≤ rows with negative right-hand sides', () => {
    // R: lp("min", c(2,3,1), rbind(c(1,1,1),c(-1,1,0),c(0,0,1)), c("=","<=","<="), c(10,-2,4), compute.sens=TRUE)
    //   $objval 16, $solution 6 0 4, $duals 2 0 -1 (then reduced costs 0 1 0)
    // lpSolve's duals are ∂value/∂b; ours are Lagrange multipliers (c + Aᵀλ + A_eqᵀμ ≥ 0), their negatives.
    const r = solveLp({
      c: [2, 3, 1],
      aEq: [[1, 1, 1]],
      bEq: [10],
      aUb: [
        [-1, 1, 0],
        [0, 0, 1],
      ],
      bUb: [-2, 4],
    });
    assert.equal(r.status, 'optimal');
    close(r.value!, 16, 1e-12, 'value');
    [6, 0, 4].forEach((x, i) => close(r.x![i], x, 1e-12, `x${i}`));
    close(r.dualEq![0], -2, 1e-12, 'mu');
    close(r.dualUb![0], 0, 1e-12, 'lambda 1');
    close(r.dualUb![1], 1, 1e-12, 'lambda 2');
  });

  it("ARP's test statistic: min η s.t. y − Xδ ≤ η·sd with η, δ free, and its dual vertex", () => {
    // R (free variables split into ± parts, the constraint written sd·η + Xδ ≥ y):
    //   y <- c(0.3,-0.1,0.5,0.2); sd <- c(1,2,0.5,1.5); X <- cbind(c(1,-1,1,-1), c(1,1,-1,-1))
    //   r <- lp("min", c(1,0,0,-1,0,0), cbind(sd, X, -sd, -X), rep(">=",4), y, compute.sens=TRUE)
    //   r$objval 0.2; r$solution[1:3]-r$solution[4:6] 0.2 0.25 -0.15; r$duals[1:4] 0.4 0 0 0.4
    const y = [0.3, -0.1, 0.5, 0.2];
    const sd = [1, 2, 0.5, 1.5];
    const X = [
      [1, 1],
      [-1, 1],
      [1, -1],
      [-1, -1],
    ];
    const r = solveLp({
      c: [1, 0, 0],
      aUb: X.map((row, i) => [-sd[i], -row[0], -row[1]]),
      bUb: y.map((v) => -v),
      free: true,
    });
    assert.equal(r.status, 'optimal');
    close(r.value!, 0.2, 1e-12, 'eta');
    [0.2, 0.25, -0.15].forEach((x, i) => close(r.x![i], x, 1e-12, `x${i}`));
    [0.4, 0, 0, 0.4].forEach((l, i) => close(r.dualUb![i], l, 1e-12, `lambda ${i}`));
    // The dual vertex: λ ≥ 0, sd'λ = 1, X'λ = 0, and λ'y = η (strong duality).
    close(
      r.dualUb!.reduce((s, l, i) => s + l * sd[i], 0),
      1,
      1e-12,
      "sd'λ",
    );
    close(
      r.dualUb!.reduce((s, l, i) => s + l * y[i], 0),
      0.2,
      1e-12,
      "λ'y",
    );
  });

  it('reports infeasible and unbounded problems without throwing', () => {
    // R: lp("min", c(1,1), rbind(c(1,0)), "<=", -1)$status 2 (infeasible)
    assert.equal(solveLp({ c: [1, 1], aUb: [[1, 0]], bUb: [-1] }).status, 'infeasible');
    // R: lp("max", c(1,0), rbind(c(1,-1)), "<=", 1)$status 3 (unbounded)
    assert.equal(solveLp({ c: [1, 0], aUb: [[1, -1]], bUb: [1], maximize: true }).status, 'unbounded');
    // Contradictory equalities (closed form: x = 1 and x = 2).
    assert.equal(solveLp({ c: [1], aEq: [[1], [1]], bEq: [1, 2] }).status, 'infeasible');
    // A free variable with no constraint below (closed form: min x, x free, x ≤ 3).
    assert.equal(solveLp({ c: [1], aUb: [[1]], bUb: [3], free: true }).status, 'unbounded');
  });

  it('redundant equalities and degenerate vertices (closed form)', () => {
    // x + y = 1 twice, x − y = 0: x = y = 1/2; min x + 2y = 1.5.
    const r = solveLp({
      c: [1, 2],
      aEq: [
        [1, 1],
        [2, 2],
        [1, -1],
      ],
      bEq: [1, 2, 0],
    });
    assert.equal(r.status, 'optimal');
    close(r.value!, 1.5, 1e-12, 'value');
    // A degenerate vertex: max x + y s.t. x ≤ 1, y ≤ 1, x + y ≤ 2, 2x + 2y ≤ 4 → 2.
    const d = solveLp({
      c: [1, 1],
      aUb: [
        [1, 0],
        [0, 1],
        [1, 1],
        [2, 2],
      ],
      bUb: [1, 1, 2, 4],
      maximize: true,
    });
    assert.equal(d.status, 'optimal');
    close(d.value!, 2, 1e-12, 'degenerate value');
  });

  it('is deterministic: the same problem gives bit-identical answers', () => {
    const p = {
      c: [1, 0, 0],
      aUb: [
        [-1, -1, -1],
        [-2, 1, -1],
        [-0.5, -1, 1],
        [-1.5, 1, 1],
      ],
      bUb: [-0.3, 0.1, -0.5, -0.2],
      free: true,
    };
    assert.deepEqual(solveLp(p), solveLp(p));
  });
});
