/**
 * dcdh with a binary treatment that switches on and off (union membership) against R DIDmultiplegtDYN
 * on wagepan (Vella & Verbeek 1998: 545 men, 1980–87).
 *
 * Data: Debian's r-cran-plm ships the panel as `Males`; it is exported at test time with Rscript to a
 * temporary CSV in wagepan.dta's columns (lwage = wage, which is the log wage; union = union == "yes";
 * hisp, black from ethn). No data is committed. A missing Rscript or r-cran-plm fails the test
 * (`npm run test:reference` installs both through scripts/setup.sh, STAGGER_SETUP_R=1).
 *
 * Expected numbers: did_multiplegt_dyn(wagepan, "lwage", "nr", "year", "union", effects = 5, …) as
 * the package team recorded it in anzonyquispe/diff_diff_test, CX/coefficients_R.csv (R CRAN
 * DIDmultiplegtDYN, wagepan.dta read with haven), option by option as in the `MODELS` table; the
 * average total effect (not in that file) from the same repository's CX/check_stata_returns.log,
 * Stata did_multiplegt_dyn lwage nr year union, effects(5): e(Av_tot_effect) = .0235192212472678,
 * e(se_avg_total_effect) = .0551657021888198, switchers 246 225 212 195 174 (Σ 1052).
 *
 * Tolerance: `Males` is not byte-for-byte wagepan.dta (a Stata float file), so ours differs from the
 * recorded numbers by up to 1.1e-7 (Switchers_Out placebo 2, 30 switchers; 5e-8 elsewhere, ≤ 2e-6 of an
 * SE) whether lwage is exported in double or single precision: the check is |ours − recorded| ≤ 2e-7,
 * which still fails on any difference of method (every option moves some number by 1e-4 or more; a
 * wrong less_conservative_se cell moved one SE by 2.7e-5). The method itself is pinned to 1e-10 by
 * `PACKAGE_ON_MALES`: the package's own R source (chaisemartinPackages/did_multiplegt_dyn at commit
 * a88360757686, R/R/did_multiplegt_main.R and did_multiplegt_dyn_core.R sourced into R 4.2 with
 * data.table 1.14 and plm, dplyr::n_distinct and matlib::Ginv replaced by base R equivalents as those
 * two packages are not installable here; did_multiplegt_main(effects = 5, placebo = 2, …)$mat_res_XX,
 * columns Estimate and SE, printed with %.17g) run on this very export; ours agreed to 1.3e-16.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { estimateFromArgs, type EstimateArgs } from '../../../src/cli/estimate.js';
import { dcdhEstimates } from '../../../src/estimators/dcdh/did-l.js';
import { estimateDcdh, type DcdhOptions } from '../../../src/estimators/dcdh/index.js';
import { clusterCodes } from '../../../src/estimators/twfe/start-groups.js';
import { readPanelCsv } from '../../../src/panel/csv.js';
import type { Panel } from '../../../src/panel/panel.js';
import { withTreatmentColumn } from '../../../src/panel/treatment-column.js';
import { checkPackageModel, close, packageModels } from './package-fixture.js';
import { EXPORT_R } from './wagepan-export.js';

let dir = '';
let csv = '';
let panel: Panel;
/** The same panel with educ as the cells' weights (did_multiplegt_dyn's weight = "educ"). */
let weighted: Panel;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagger-wagepan-'));
  csv = join(dir, 'wagepan.csv');
  // Throws (fails the test) when Rscript or plm is missing.
  execFileSync('Rscript', ['-e', EXPORT_R, csv], { stdio: ['ignore', 'ignore', 'pipe'] });
  const read = readPanelCsv(csv, { id: 'nr', time: 'year', outcome: 'lwage', covariates: ['union', 'black'], cluster: 'hisp' });
  panel = withTreatmentColumn(read.panel, 'union', csv);
  const readW = readPanelCsv(csv, {
    id: 'nr',
    time: 'year',
    outcome: 'lwage',
    covariates: ['union', 'black'],
    cluster: 'hisp',
    weights: 'educ',
  });
  weighted = withTreatmentColumn(readW.panel, 'union', csv);
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Pair = [number, number];
interface Model {
  options: Partial<DcdhOptions>;
  /** Read with weights: educ. */
  weighted?: boolean;
  effects: Pair[];
  placebos?: Pair[];
}
const BASE_EFFECTS: Pair[] = [
  [0.0409507589219753, 0.0339709086428129],
  [0.0218878146052099, 0.0393387790490505],
  [0.0311019215194921, 0.0425975834153738],
  [0.0181627023972096, 0.047209970184856],
  [-0.0499657708663151, 0.0546254344032438],
];
const BASE_PLACEBOS: Pair[] = [
  [-0.0883945688414893, 0.0422581614516339],
  [0.0370908370919698, 0.0581036594868833],
];
/** Same_Switchers and Same_Switchers_Placebo: the recorded effects are one and the same. */
const SAME_EFFECTS: Pair[] = [
  [0.0465925483984899, 0.0409018030995624],
  [0.0338583180940893, 0.0469162293330123],
  [0.0485448821903344, 0.0492838846515323],
  [0.0374830523439772, 0.0510270899893796],
  [-0.0499657708663151, 0.0546254344032438],
];
/** CX/coefficients_R.csv, wagepan: model → (estimate, SE) of Effect_1..5 and Placebo_1..2. */
const MODELS: Record<string, Model> = {
  Baseline: { options: { effects: 5, placebo: 0 }, effects: BASE_EFFECTS },
  Placebos: { options: { effects: 5, placebo: 2 }, effects: BASE_EFFECTS, placebos: BASE_PLACEBOS },
  Normalized: {
    options: { effects: 5, placebo: 2, normalized: true },
    effects: [
      [0.0409507589219753, 0.0339709086428129],
      [0.014070737960492, 0.025289215102961],
      [0.0144914447519392, 0.0198476652396906],
      [0.00675902093025931, 0.0175685957748987],
      [-0.015279515168258, 0.0167044386400078],
    ],
    placebos: [
      [-0.0883945688414893, 0.0422581614516339],
      [0.0247272247279799, 0.0387357729912555],
    ],
  },
  Switchers_In: {
    options: { effects: 5, placebo: 2, switchers: 'in' },
    effects: [
      [0.0693367423052272, 0.050415114969721],
      [0.0392462858559662, 0.0506126328568969],
      [0.0446190393252549, 0.0584115544842666],
      [0.0244555317083939, 0.0656956293757392],
      [-0.037947135980127, 0.0765452883925381],
    ],
    placebos: [
      [-0.0920765801625643, 0.0498936512644237],
      [0.0362436533138449, 0.0687048176938728],
    ],
  },
  Switchers_Out: {
    options: { effects: 5, placebo: 2, switchers: 'out' },
    effects: [
      [0.00154109267144119, 0.0410324174701138],
      [-0.001018209313314, 0.0621764040022482],
      [0.0131286110305108, 0.0617730518487422],
      [0.00930612781109839, 0.0660923682339909],
      [-0.0662071693611638, 0.0761446588470561],
    ],
    placebos: [
      [-0.0820640932368341, 0.0764612961146206],
      [0.0383333732998864, 0.101918091205555],
    ],
  },
  Only_Never_Switchers: {
    options: { effects: 5, placebo: 2, control: 'never' },
    effects: [
      [0.0370227788746051, 0.033271523856163],
      [0.0013780944489098, 0.0402666783914995],
      [0.022383617889138, 0.0413721982604921],
      [-0.0017149788020647, 0.0462793482919308],
      [-0.0608601716895671, 0.0544282368564339],
    ],
    placebos: [
      [-0.0757911523161336, 0.0392231088725363],
      [0.0437174898178332, 0.0556017772021304],
    ],
  },
  Cluster: {
    options: { effects: 5, placebo: 2, cluster: 'column' },
    effects: [
      [0.0409507589219753, 0.0285618462484819],
      [0.0218878146052099, 0.0255911893841904],
      [0.0311019215194921, 0.0278902117429067],
      [0.0181627023972096, 0.010076505316252],
      [-0.0499657708663151, 0.0275674121227839],
    ],
    placebos: [
      [-0.0883945688414893, 0.100912592155345],
      [0.0370908370919698, 0.0958356817607476],
    ],
  },
  Same_Switchers: {
    options: { effects: 5, placebo: 2, sameSwitchers: true },
    effects: SAME_EFFECTS,
    placebos: [
      [-0.0869863802048182, 0.0678572183755752],
      [0.0782255251120354, 0.0978921850703581],
    ],
  },
  Less_Conservative_SE: {
    options: { effects: 5, placebo: 2, lessConservativeSe: true },
    effects: [
      [0.0409507589219753, 0.0339709086428129],
      [0.0218878146052099, 0.0385286917295046],
      [0.0311019215194921, 0.0429979116929668],
      [0.0181627023972096, 0.046945297732136],
      [-0.0499657708663151, 0.053396985428101],
    ],
    placebos: BASE_PLACEBOS,
  },
  Same_Switchers_Placebo: {
    options: { effects: 5, placebo: 2, sameSwitchers: true, sameSwitchersPl: true },
    effects: SAME_EFFECTS,
    placebos: [
      [-0.0496879932504801, 0.140729886629397],
      [0.0782255251120354, 0.0978921850703581],
    ],
  },
  Weight: {
    options: { effects: 5, placebo: 2 },
    weighted: true,
    effects: [
      [0.0504640597092505, 0.033945542207857],
      [0.0249797628261454, 0.0399114381286495],
      [0.0418596375394074, 0.0426164208967596],
      [0.0208927851899455, 0.0487201035485469],
      [-0.0575851463290556, 0.0565596194522696],
    ],
    placebos: [
      [-0.0811646058953602, 0.0424708526132932],
      [0.040866535264217, 0.0611291149624732],
    ],
  },
  Continuous: {
    options: { effects: 5, placebo: 2, continuous: 1 },
    effects: [
      [0.0409507589219753, 0.033972316621048],
      [0.0131839836044913, 0.0403667917983185],
      [0.0228333406576745, 0.0430415432449484],
      [0.00572847513419684, 0.048457304850076],
      [-0.0579700965213757, 0.0558354375481706],
    ],
    placebos: [
      [-0.0787580791986695, 0.0381338416516722],
      [0.0373961853603213, 0.0519353007035762],
    ],
  },
  Trends_Lin: {
    options: { effects: 5, placebo: 2, trendsLin: true },
    effects: [
      [-0.0660763199493341, 0.0720155519537213],
      [-0.197420168405642, 0.118881140343982],
      [-0.267400029826524, 0.173514313888935],
      [-0.35757634080273, 0.252807622582512],
      [-0.528716166647606, 0.354921383357764],
    ],
    placebos: [
      [-0.174808163366108, 0.0939974424483986],
      [-0.211501858193003, 0.1354876925386],
    ],
  },
  Trends_Nonparam: {
    options: { effects: 5, placebo: 2, trendsNonparam: ['black'] },
    effects: [
      [0.0397497671998484, 0.0337262027466856],
      [0.0258605998123675, 0.039080719471039],
      [0.0334369684189782, 0.0424415002014662],
      [0.0209025993186085, 0.0466452906175303],
      [-0.0436952242750416, 0.0547109781484224],
    ],
    placebos: [
      [-0.0931634566146544, 0.0419019411762596],
      [0.0269629371186276, 0.0587613667297537],
    ],
  },
};

/** (ℓ, estimate, SE): ℓ > 0 effect, 0 average total effect, < 0 placebo (package source on the export, header). */
const PACKAGE_ON_MALES: [Partial<DcdhOptions>, [number, number, number][]][] = [
  [
    {},
    [
      [1, 0.040950749637542944, 0.033970909708429413],
      [2, 0.021887824123495426, 0.039338777873441824],
      [3, 0.03110196891139708, 0.042597581589708416],
      [4, 0.018162687786608199, 0.047209971618746342],
      [5, -0.04996578750677521, 0.054625439234333377],
      [0, 0.02351922652367372, 0.055165700444505077],
      [-1, -0.08839452070398908, 0.042258161985274066],
      [-2, 0.037090902396908342, 0.058103656302303242],
    ],
  ],
  [
    { switchers: 'in' },
    [
      [1, 0.069336783626843257, 0.050415116856970345],
      [2, 0.039246316173002511, 0.050612631382653657],
      [3, 0.044619100484817063, 0.05841155769941736],
      [4, 0.024455545115552944, 0.065695632354081435],
      [5, -0.037947114572109295, 0.07654529506812674],
      [0, 0.056194245271534542, 0.089219432405936855],
      [-1, -0.092076514497883385, 0.049893649129769832],
      [-2, 0.036243686476740151, 0.068704812139157842],
    ],
  ],
  [
    { switchers: 'out' },
    [
      [1, 0.0015410131281260032, 0.041032418033015737],
      [2, -0.0010182272408025862, 0.062176402089900829],
      [3, 0.013128640115970513, 0.061773039640852949],
      [4, 0.0093060737680933647, 0.066092368305967084],
      [5, -0.066207237418485915, 0.076144665754055763],
      [0, -0.0081433268545350757, 0.065759413058642399],
      [-1, -0.082064075233784853, 0.07646130241299641],
      [-2, 0.038333485746488358, 0.10191808821394692],
    ],
  ],
  [
    { control: 'never' },
    [
      [1, 0.037022760736751287, 0.033271525277638873],
      [2, 0.0013780918558471157, 0.040266676545922801],
      [3, 0.022383655085564932, 0.041372197171662815],
      [4, -0.00171499674606201, 0.046279349247245492],
      [5, -0.060860190466950757, 0.05442824148310979],
      [0, 0.0046336297284902154, 0.0540293287032831],
      [-1, -0.075791096175006914, 0.039223108669544531],
      [-2, 0.043717551479808187, 0.055601773707943711],
    ],
  ],
  [
    { normalized: true },
    [
      [1, 0.040950749637542944, 0.033970909708429413],
      [2, 0.014070744079389918, 0.025289214347212603],
      [3, 0.014491466833442155, 0.019847664389050952],
      [4, 0.0067590154931080121, 0.01756859630850293],
      [5, -0.015279520256904898, 0.016704440117353267],
      [0, 0.02351922652367372, 0.055165700444505077],
      [-1, -0.088394520703989093, 0.042258161985274073],
      [-2, 0.02472726826460556, 0.038735770868202159],
    ],
  ],
  [
    { cluster: 'column' },
    [
      [1, 0.040950749637542944, 0.028561844038984378],
      [2, 0.021887824123495426, 0.025591228086070068],
      [3, 0.03110196891139708, 0.027890186209185163],
      [4, 0.018162687786608199, 0.010076511727076428],
      [5, -0.04996578750677521, 0.02756740685193057],
      [0, 0.02351922652367372, 0.017202659997668696],
      [-1, -0.08839452070398908, 0.10091254832816597],
      [-2, 0.037090902396908342, 0.095835691103223125],
    ],
  ],
  [
    { sameSwitchers: true },
    [
      [1, 0.046592528939903843, 0.040901804752499653],
      [2, 0.033858311829201772, 0.046916228757116027],
      [3, 0.048544903245503611, 0.049283882981271968],
      [4, 0.037483027184202773, 0.051027091817644123],
      [5, -0.04996578750677521, 0.054625439234333377],
      [0, 0.035629629459427763, 0.064607178796862161],
      [-1, -0.086986377727984412, 0.067857214837747204],
      [-2, 0.078225531542321744, 0.097892202301830239],
    ],
  ],
  [
    { lessConservativeSe: true },
    [
      [1, 0.040950749637542944, 0.033970909708429413],
      [2, 0.021887824123495426, 0.038528690534148008],
      [3, 0.03110196891139708, 0.042997909872224391],
      [4, 0.018162687786608199, 0.04694529935736845],
      [5, -0.04996578750677521, 0.053396989222084849],
      [0, 0.02351922652367372, 0.053700617749844921],
      [-1, -0.08839452070398908, 0.042258161985274066],
      [-2, 0.037090902396908342, 0.058103656302303242],
    ],
  ],
  [
    { trendsNonparam: ['black'] },
    [
      [1, 0.039749757421270494, 0.033726203646340575],
      [2, 0.025860611869654167, 0.039080717522103951],
      [3, 0.033437014544408908, 0.042441498239563225],
      [4, 0.020902587433729875, 0.04664529152929732],
      [5, -0.043695231745294001, 0.054710982326072854],
      [0, 0.027408811596016575, 0.054872676939270684],
      [-1, -0.093163409392086477, 0.04190194132523762],
      [-2, 0.026963000952177765, 0.058761363848756062],
    ],
  ],
];

function rowsOf(options: Partial<DcdhOptions>, weights = false) {
  const e = estimateDcdh(weights ? weighted : panel, options);
  const rows = e.aggregates.dynamic!.detail!;
  const at = (key: number) => rows.find((r) => r.key === key);
  return { e, at };
}

for (const [name, m] of Object.entries(MODELS)) {
  it(`wagepan ${name}: DID_1..5${m.placebos ? ' and placebos 1, 2' : ''} and SEs = R did_multiplegt_dyn (2e-7, see the header)`, () => {
    const { at } = rowsOf(m.options, m.weighted);
    m.effects.forEach(([est, se], k) => {
      const r = at(k);
      close(r?.att, est, 2e-7, `${name} Effect_${k + 1}`);
      close(r?.se, se, 2e-7, `${name} SE Effect_${k + 1}`);
    });
    (m.placebos ?? []).forEach(([est, se], k) => {
      const r = at(-2 - k);
      close(r?.att, est, 2e-7, `${name} Placebo_${k + 1}`);
      close(r?.se, se, 2e-7, `${name} SE Placebo_${k + 1}`);
    });
    if (!m.placebos) assert.equal(at(-2), undefined, 'no placebo asked for');
  });
}

it('wagepan: the average total effect, its SE and the switcher counts = Stata did_multiplegt_dyn (same definition)', () => {
  const { e } = rowsOf({ effects: 5, placebo: 0 });
  // Stata on wagepan.dta (its Effect_1 is .0409507582 against R's .0409507589): the data tolerance above.
  close(e.aggregates.simple!.att, 0.0235192212472678, 2e-7, 'Av_tot_effect');
  close(e.aggregates.simple!.se, 0.0551657021888198, 2e-7, 'se_avg_total_effect');
  const r = dcdhEstimates(panel, { effects: 5, placebo: 0, control: 'notyet', cluster: clusterCodes(panel, false) });
  assert.deepEqual(
    r.effects.map((x) => x.switchers),
    [246, 225, 212, 195, 174],
  );
  assert.equal(r.average.switchers, 1052);
});

it('wagepan: every option = the package’s own R source on the same export (1e-10)', () => {
  for (const [options, rows] of PACKAGE_ON_MALES) {
    const { e, at } = rowsOf({ effects: 5, placebo: 2, ...options });
    for (const [l, est, se] of rows) {
      const r = l === 0 ? e.aggregates.simple! : at(l > 0 ? l - 1 : -1 + l);
      const what = `${JSON.stringify(options)} ${l === 0 ? 'average total effect' : l > 0 ? `Effect_${l}` : `Placebo_${-l}`}`;
      close(r?.att, est, 1e-10, what);
      close(r?.se, se, 1e-10, `SE ${what}`);
    }
  }
});

it('stagger estimate --treatment union --estimator dcdh with the options as flags gives the same rows', () => {
  const args = (extra: Partial<EstimateArgs>): EstimateArgs => ({
    estimator: 'dcdh',
    data: csv,
    id: 'nr',
    time: 'year',
    outcome: 'lwage',
    treatment: 'union',
    alpha: 0.05,
    'bootstrap-weights': 'rademacher',
    effects: 5,
    placebo: 2,
    ...extra,
  });
  const cases: [Partial<EstimateArgs>, Partial<DcdhOptions>][] = [
    [{ switchers: 'out' }, { switchers: 'out' }],
    [
      { normalized: true, 'less-conservative-se': true },
      { normalized: true, lessConservativeSe: true },
    ],
    [
      { 'same-switchers': true, control: 'never' },
      { sameSwitchers: true, control: 'never' },
    ],
    [
      { 'trends-nonparam': 'black', cluster: 'hisp' },
      { trendsNonparam: ['black'], cluster: 'column' },
    ],
  ];
  for (const [flags, options] of cases) {
    const cli = estimateFromArgs(args(flags)).est.aggregates.dynamic!.detail!;
    const lib = rowsOf({ effects: 5, placebo: 2, ...options }).e.aggregates.dynamic!.detail!;
    assert.deepEqual(
      cli.map((r) => [r.key, r.att, r.se]),
      lib.map((r) => [r.key, r.att, r.se]),
      JSON.stringify(flags),
    );
  }
});

it('wagepan: controls, weights, trends_lin, same_switchers_pl and their combinations = the package’s own R source (1e-10)', () => {
  // test-reference/fixtures/dcdh-wagepan-package.json: the package's own R source on this export (its _source).
  const models = packageModels('dcdh-wagepan-package.json');
  assert.ok(Object.keys(models).length >= 24, 'the fixture lists its 24 models');
  for (const [name, m] of Object.entries(models))
    checkPackageModel(csv, { id: 'nr', time: 'year', outcome: 'lwage', treatment: 'union' }, name, m);
});

it('wagepan: the joint tests (effects all 0, all equal; placebos all 0) = the package’s p_jointeffects, p_equality_effects, p_jointplacebo (1e-10)', () => {
  // The package's own R source on this export (as the fixture's _source), effects_equal = TRUE, effects = 5, placebo = 2.
  const cases: [string, { weights?: string; cluster?: string }, Partial<DcdhOptions>, [number, number, number]][] = [
    ['baseline', {}, {}, [0.36909720607214602, 0.3801989312413645, 0.070474414040314182]],
    ['normalized', {}, { normalized: true }, [0.29067534799463857, 0.38019893124136439, 0.070474414040314293]],
    [
      'controls married, cluster hisp',
      { cluster: 'hisp' },
      { covariates: ['married'], cluster: 'column' },
      [0.13219650488029078, 0.51044910691388823, 0],
    ],
    ['trends_lin', {}, { trendsLin: true }, [0.43570739578622841, 0.57579501788908394, 0.12603284495319644]],
    [
      'switchers in, weight educ',
      { weights: 'educ' },
      { switchers: 'in' },
      [0.46558988607543172, 0.41848514528982583, 0.17044227339354079],
    ],
    ['3 effects, 3 placebos', {}, { effects: 3, placebo: 3 }, [0.80210237831637821, 0.65543708258152966, 0.13852769070763005]],
  ];
  for (const [name, read, options, [equal, zero, placebo]] of cases) {
    const r = readPanelCsv(csv, { id: 'nr', time: 'year', outcome: 'lwage', covariates: ['union', 'married'], ...read });
    const e = estimateDcdh(withTreatmentColumn(r.panel, 'union', csv), { effects: 5, placebo: 2, ...options });
    const p = (test: string) => e.tests!.find((t) => t.test === test)?.p;
    close(p('effects_equal'), equal, 1e-10, `${name}: effects equal`);
    close(p('effects_zero'), zero, 1e-10, `${name}: effects 0`);
    close(e.wald_pretest!.p, placebo, 1e-10, `${name}: placebos 0`);
  }
});
