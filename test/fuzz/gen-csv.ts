/**
 * Malformed long CSV panels and the `stagger estimate` command lines that read them: every estimator,
 * each family's options (src/estimators/family-options.ts) with valid and invalid values. Pure: the
 * same rng gives the same file and arguments.
 */
import { chance, int, pick, type Rng } from './rng.js';

export interface CsvCase {
  /** The malformation, e.g. "crlf" (the case's input kind is "csv/<malformation>"). */
  mutation: string;
  detail: string;
  /** The file's bytes as text (written as UTF-8). */
  text: string;
  /** `stagger estimate` arguments after `--data FILE`; OUTCSV stands for an output path. */
  args: string[];
  /** True when the file is invalid for sure: exit 0 on it is SILENT-CORRUPTION. */
  mustRefuse: boolean;
}

export const ESTIMATORS = ['did', 'twfe', 'bacon', 'sunab', 'bjs', 'dim', 'efficient', 'matched'] as const;

/** The flags of each family (`stagger estimate --help`) and values to try, valid ones first. */
const INT_BAD = ['-1', '1.5', 'abc', '1e9', '', 'NaN', 'Infinity'];
const FLAGS: Record<string, [string, string[]][]> = {
  did: [
    ['--method', ['dr', 'ipw', 'reg', 'xx']],
    ['--control', ['never', 'notyet', 'nevr']],
    ['--base-period', ['varying', 'universal', 'x']],
    ['--anticipation', ['0', '1', ...INT_BAD]],
    ['--alpha', ['0.05', '0.1', '0', '1', '-0.1', 'abc', '2']],
    ['--min-e', ['-2', '-1e9', '1.5', 'abc']],
    ['--max-e', ['2', '1e9', '0.5']],
    ['--balance-e', ['0', '1', '-1', '1.5']],
    ['--bootstrap', ['0', '49', '-1', '1.5', 'abc', '1e9']],
    ['--bootstrap-weights', ['rademacher', 'mammen', 'gauss']],
    ['--cluster', ['cl', 'nosuch', 'id', 'y']],
    ['--seed', ['7', 'abc', '']],
    ['--no-pretest', []],
    ['--weights', ['w', 'x1', 'nosuch', 'y']],
    ['--unbalanced', []],
    ['--cross-sections', []],
    ['--covariates', ['x1', 'x1,x2', 'xc', 'x1,xcol', 'lvl', 'nosuch', 'x1,x1', '', ',']],
    ['--pretest-power', []],
    ['--pretest-test', ['wald', 'individual', 'x']],
    ['--pretest-periods', ['1', '3', '0', '-1', '1.5']],
  ],
  twfe: [
    ['--min-e', ['-2', '-1e9', '1.5']],
    ['--max-e', ['2', '1e9']],
    ['--reference', ['-1', '0', '1.5', '-100']],
    ['--cluster', ['cl', 'nosuch']],
    ['--anticipation', ['0', '1', ...INT_BAD]],
    ['--covariates', ['x1', 'x1,xcol', 'xc', 'lvl', 'nosuch']],
  ],
  sunab: [
    ['--min-e', ['-2', '1.5']],
    ['--max-e', ['2', '1e9']],
    ['--cluster', ['cl', 'nosuch']],
    ['--anticipation', ['0', '1', ...INT_BAD]],
    ['--covariates', ['x1', 'xc', 'x1,xcol']],
  ],
  bjs: [
    ['--min-e', ['-2', '1.5']],
    ['--max-e', ['2', '1e9']],
    ['--cluster', ['cl', 'nosuch']],
    ['--anticipation', ['0', '1', ...INT_BAD]],
    ['--covariates', ['x1', 'xc', 'x1,xcol']],
  ],
  bacon: [['--cluster', ['cl', 'nosuch']]],
  dim: [
    ['--horizon', ['0', '1', '-1', '1.5', 'abc']],
    ['--max-e', ['2', '1.5']],
    ['--permutations', ['0', '20', '-1', '1.5', 'abc']],
    ['--seed', ['3', 'x']],
    ['--covariates', ['x1', 'xc', 'lvl', 'x1,xcol']],
  ],
  efficient: [
    ['--min-e', ['0', '-1', '1.5']],
    ['--max-e', ['2', '1e9']],
    ['--beta', ['0', '1', 'abc', 'NaN', '1e308']],
    ['--efficient-se', ['refined', 'neyman', 'x']],
    ['--permutations', ['0', '20', '-1', 'abc']],
    ['--seed', ['3']],
  ],
  matched: [
    ['--pair', ['pair', 'nosuch', 'id']],
    ['--min-e', ['0', '1.5']],
    ['--max-e', ['2', '1e9']],
  ],
};
/** Flags a family does not take (each must be refused by name). */
const FOREIGN = [
  '--method dr',
  '--bootstrap 9',
  '--horizon 1',
  '--beta 0',
  '--pair pair',
  '--reference -1',
  '--weights w',
  '--anticipation 1',
];

type Table = string[][];

/** A small balanced panel: id, period, first_treat, y and covariates of every sort. */
function basePanel(rng: Rng, n: number, t: number, groups: number[]): Table {
  const rows: Table = [['id', 'period', 'first_treat', 'y', 'x1', 'x2', 'xc', 'xcol', 'lvl', 'w', 'cl', 'pair']];
  for (let i = 1; i <= n; i++) {
    const g = groups[(i - 1) % groups.length];
    const x1 = rng() * 2 - 1;
    const x2 = rng();
    const level = pick(rng, ['a', 'b', 'c']);
    const w = (0.5 + rng()).toFixed(3);
    for (let p = 1; p <= t; p++) {
      const eff = g > 0 && p >= g ? 1 : 0;
      const y = 10 + x1 + 0.3 * p + eff + (rng() - 0.5);
      rows.push([
        String(i),
        String(p),
        String(g),
        y.toFixed(6),
        x1.toFixed(6),
        x2.toFixed(6),
        '1',
        (2 * x1).toFixed(6),
        level,
        w,
        String(1 + (i % 4)),
        String(Math.ceil(i / 2)),
      ]);
    }
  }
  return rows;
}

function serialise(rows: Table, sep = ',', eol = '\n', quoteAll = false): string {
  const cell = (c: string) => (quoteAll || c.includes(sep) || c.includes('"') ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => r.map(cell).join(sep)).join(eol) + eol;
}

const col = (rows: Table, name: string) => rows[0].indexOf(name);
function setCol(rows: Table, name: string, f: (row: string[], r: number) => string): void {
  const j = col(rows, name);
  rows.slice(1).forEach((row, r) => {
    row[j] = f(row, r);
  });
}

const MUTATIONS = [
  'none',
  'bom',
  'crlf',
  'quoted',
  'semicolon',
  'tab',
  'string-ids',
  'irregular-periods',
  'date-periods',
  'na',
  'nan',
  'inf',
  'duplicate-rows',
  'all-treated',
  'none-treated',
  'one-unit',
  'one-period',
  'truncated',
  'empty',
  'header-only',
  'extra-fields',
  'missing-fields',
  'unterminated-quote',
  'hex',
  'decimal-comma',
  'bad-first-treat',
  'sparse-huge-index',
  'missing-column',
  'duplicate-header',
  'padding',
  'extreme-y',
  'constant-y',
  'binary-zero-y',
  'unbalanced',
  'text-y',
] as const;

/** One panel case: a malformed file and an estimate command line for it. */
export function malformedPanel(rng: Rng): CsvCase {
  const n = pick(rng, [4, 8, 20, 40]);
  const t = pick(rng, [3, 4, 6]);
  const groups = pick(rng, [
    [0, 2, 3],
    [0, 3],
    [2, 3, 0, 0],
    [0, 2],
  ]);
  const rows = basePanel(rng, n, t, groups);
  const mutation = pick(rng, MUTATIONS);
  let detail = `${n} units × ${t} periods, groups ${groups.join('/')}`;
  let mustRefuse = false;
  let sep = ',',
    eol = '\n',
    quoteAll = false,
    prefix = '',
    cut: number | null = null;
  const body = () => rows.slice(1);
  switch (mutation) {
    case 'bom':
      prefix = '\uFEFF';
      break;
    case 'crlf':
      eol = '\r\n';
      break;
    case 'quoted':
      quoteAll = true;
      break;
    case 'semicolon':
      sep = ';';
      break;
    case 'tab':
      sep = '\t';
      break;
    case 'string-ids':
      setCol(rows, 'id', (r) => `unit-${r[0]}`);
      break;
    case 'irregular-periods': {
      const map: Record<string, string> = { 1: '1', 2: '2', 3: '5', 4: '9', 5: '10', 6: '30' };
      setCol(rows, 'period', (r) => map[r[1]]);
      setCol(rows, 'first_treat', (r) => (r[2] === '0' ? '0' : map[r[2]]));
      break;
    }
    case 'date-periods':
      setCol(rows, 'period', (r) => `2020-0${r[1]}`);
      break;
    case 'na':
    case 'nan':
    case 'inf': {
      const token =
        mutation === 'na' ? pick(rng, ['NA', '', 'null']) : mutation === 'nan' ? 'NaN' : pick(rng, ['Inf', '-Inf', 'Infinity', '1e999']);
      const c = pick(rng, ['y', 'x1', 'w', 'first_treat', 'period', 'id']);
      for (let k = int(rng, 1, 3); k > 0; k--) body()[int(rng, 0, body().length - 1)][col(rows, c)] = token;
      detail += `; ${token} in ${c}`;
      break;
    }
    case 'duplicate-rows': {
      const r = body()[int(rng, 0, body().length - 1)];
      rows.push([...r]);
      mustRefuse = true;
      break;
    }
    case 'all-treated':
      setCol(rows, 'first_treat', () => '2');
      break;
    case 'none-treated':
      setCol(rows, 'first_treat', () => '0');
      break;
    case 'one-unit':
      rows.splice(1 + t);
      break;
    case 'one-period': {
      const keep = rows.filter((r, i) => i === 0 || r[1] === '1');
      rows.length = 0;
      rows.push(...keep);
      break;
    }
    case 'truncated':
      cut = int(rng, 1, 400);
      break;
    case 'empty':
      rows.length = 0;
      break;
    case 'header-only':
      rows.length = 1;
      break;
    case 'extra-fields':
      body()[int(rng, 0, body().length - 1)].push('99');
      mustRefuse = true;
      break;
    case 'missing-fields':
      body()[int(rng, 0, body().length - 1)].pop();
      mustRefuse = true;
      break;
    case 'unterminated-quote': {
      const r = body()[int(rng, 0, body().length - 1)];
      r[3] = `"${r[3]}`;
      mustRefuse = true;
      break;
    }
    case 'hex':
      body()[int(rng, 0, body().length - 1)][col(rows, pick(rng, ['y', 'x1']))] = '0x1F';
      mustRefuse = true;
      break;
    case 'decimal-comma':
      sep = ';';
      setCol(rows, 'y', (r) => r[3].replace('.', ','));
      body()[0][3] = '10,5';
      mustRefuse = true;
      break;
    case 'bad-first-treat': {
      const v = pick(rng, ['-1', '2.5', '999', 'abc']);
      body()[0][2] = v;
      detail += `; first_treat ${v}`;
      break;
    }
    case 'sparse-huge-index': {
      const big = pick(rng, ['60000', '1000000']);
      rows.length = 1;
      rows.push(['1', '1', '0', '1', '0', '0', '1', '0', 'a', '1', '1', '1'], [big, big, '2', '2', '0', '0', '1', '0', 'a', '1', '1', '1']);
      detail = `ids and periods 1 … ${big}`;
      break;
    }
    case 'missing-column': {
      const j = col(rows, pick(rng, ['id', 'period', 'first_treat', 'y']));
      rows.forEach((r) => r.splice(j, 1));
      break;
    }
    case 'duplicate-header':
      rows[0][4] = 'y';
      break;
    case 'padding':
      rows.forEach((r) => {
        r[3] = ` ${r[3]} `;
      });
      break;
    case 'extreme-y': {
      const v = pick(rng, ['1e200', '1e308', '-1e308', '5e-324', '1e-310']);
      setCol(rows, 'y', (r, i) => (i % 2 ? v : r[3]));
      detail += `; y ${v}`;
      break;
    }
    case 'constant-y':
      setCol(rows, 'y', () => '3');
      break;
    case 'binary-zero-y':
      setCol(rows, 'y', () => '0');
      break;
    case 'unbalanced':
      rows.splice(int(rng, 1, rows.length - 1), 1);
      break;
    case 'text-y':
      body()[0][3] = 'abc';
      mustRefuse = true;
      break;
    default:
      break;
  }
  let text = prefix + (rows.length ? serialise(rows, sep, eol, quoteAll) : '');
  if (cut !== null) {
    text = text.slice(0, Math.min(cut, text.length - 1));
    detail += `; cut at ${cut} chars`;
  }
  return { mutation, detail, text, args: estimateArgs(rng), mustRefuse };
}

/** An estimator and 0–3 of its options (sometimes a foreign one, a repeated one, or an odd output). */
export function estimateArgs(rng: Rng): string[] {
  const est = pick(rng, ESTIMATORS);
  const args = est === 'did' && chance(rng, 0.3) ? [] : ['--estimator', est];
  const flags = FLAGS[est];
  for (let k = int(rng, 0, 3); k > 0; k--) {
    const [flag, values] = pick(rng, flags);
    if (values.length === 0) args.push(flag);
    else args.push(flag, chance(rng, 0.6) ? values[0] : pick(rng, values));
  }
  if (chance(rng, 0.1)) args.push(...pick(rng, FOREIGN).split(' '));
  if (chance(rng, 0.05)) {
    const [flag, values] = pick(rng, flags);
    if (values.length) args.push(flag, values[0], flag, pick(rng, values));
  }
  const out = pick(rng, ['json', 'json', 'csv', 'text', 'csv-dir', 'csv-full']);
  if (out === 'json') args.push('--json');
  else if (out === 'csv') args.push('--csv', 'OUTCSV');
  else if (out === 'csv-dir') args.push('--csv', '/tmp');
  else if (out === 'csv-full') args.push('--csv', '/dev/full');
  return args;
}
