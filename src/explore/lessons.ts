/**
 * Guided texts for the teaching scenarios: a few steps, each naming the control to move (by its --set
 * path) and what to watch. Shown beside the controls when the explorer opens one of these scenarios; a
 * step's button takes the reader to its control. test/explore/lessons.test.ts checks every path is a
 * control of its scenario.
 */
export interface LessonStep {
  text: string;
  /** The control this step moves (a path of controls.ts), if any. */
  path?: string;
}

export interface Lesson {
  title: string;
  steps: LessonStep[];
}

/** By the scenario's `name:` key. */
export const LESSONS: Record<string, Lesson> = {
  teach_twfe_bias: {
    title: 'Why TWFE goes wrong when effects grow',
    steps: [
      {
        text: 'Read the table: cs (Callaway & Sant’Anna) is unbiased; twfe’s static coefficient is biased and its coverage far below 95 %.',
      },
      {
        text: 'Move the growth of the effect (the ramp) down to 1: the effect is then constant after adoption, and twfe’s bias shrinks. Watch the bias column.',
        path: 'effect.ramp',
      },
      {
        text: 'Move the effect size: both estimators scale with it, but twfe’s bias scales too — it is a share of the effect, not noise.',
        path: 'effect.size',
      },
      {
        text: 'Look at the event study: twfe’s binned coefficients bend away from the truth (black) after adoption, while cs follows it.',
      },
    ],
  },
  teach_pretest: {
    title: 'A passed pre-test does not make an estimate unbiased',
    steps: [
      { text: 'cs|pretest shows how often the Wald pre-test passes; cs|passed is cs among the draws that pass it.' },
      {
        text: 'Move the trend tied to x (outcome.trend.by.x) to 0: parallel trends hold, the bias of cs goes to zero and coverage returns to 95 %.',
        path: 'outcome.trend.by.x',
      },
      {
        text: 'Move it up again: the pre-test passes in most draws, yet cs|passed stays biased — passing is no guarantee (Roth 2022).',
        path: 'outcome.trend.by.x',
      },
      {
        text: 'Raise the population size: the pre-test gets more power and rejects more often, but the bias does not go away.',
        path: 'population.size',
      },
    ],
  },
  teach_efficient: {
    title: 'The efficient estimator in a randomised rollout',
    steps: [
      { text: 'Both estimators are unbiased here: compare their power and RMSE. The efficient estimator uses the pre-periods more fully.' },
      {
        text: 'Move the persistence of the noise (outcome.rho) up: when outcomes are persistent, the pre-period says more about the post-period and the gap between the two changes.',
        path: 'outcome.rho',
      },
      {
        text: 'Move the effect size and watch power rise for both; the efficient estimator reaches a given power at a smaller effect.',
        path: 'effect.size',
      },
    ],
  },
  teach_stepped_wedge: {
    title: 'A stepped wedge with a growing effect',
    steps: [
      { text: 'cs follows the truth; hh (Hussey & Hughes) and twfe assume an immediate, constant step and understate the plateau.' },
      {
        text: 'Move the growth of the effect (the ramp) down to 1: the effect is a step, and hh becomes unbiased and the most precise.',
        path: 'effect.ramp',
      },
      {
        text: 'Move the number of clusters: with few clusters, coverage falls below 95 % even for an unbiased estimator — watch cs’s coverage and the t-based intervals of hh.',
        path: 'design.clusters',
      },
      {
        text: 'Move the ICC: more similar people within a cluster means less information per person, and power falls.',
        path: 'outcome.icc',
      },
    ],
  },
};

export function lessonFor(name: string): Lesson | null {
  return LESSONS[name] ?? null;
}
