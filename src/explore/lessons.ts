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
    title: 'Why TWFE goes wrong when effects differ across groups and over time',
    steps: [
      {
        text: 'Read the table: cs (Callaway & Sant’Anna) is unbiased and covers about 95 %; twfe’s static coefficient is biased and its intervals cover the truth far less often.',
      },
      {
        text: 'Move the growth of the effect (the ramp) to 0, so each group gets its full effect at once: twfe’s bias does not vanish, it turns positive and grows. With no never-treated units, twfe compares later adopters with earlier ones whose effects differ by group (Goodman-Bacon 2021); cs stays unbiased.',
        path: 'effect.ramp',
      },
      {
        text: 'Move the effect size down: twfe’s bias shrinks in proportion (half the effect, about half the bias): it is a share of the effect, not noise.',
        path: 'effect.size',
      },
      { text: 'Look at the event study: twfe’s binned coefficients bend away from the truth (black), while cs follows it.' },
    ],
  },
  teach_pretest: {
    title: 'A passed pre-test does not make an estimate unbiased',
    steps: [
      { text: 'The line under the table says how often the Wald pre-test passes; cs|passed is cs among the draws that pass it.' },
      {
        text: 'Move the trend tied to x to 0: parallel trends hold, the bias of cs goes to zero and coverage returns to about 95 %.',
        path: 'outcome.trend.by.x',
      },
      {
        text: 'Move it back up: the pre-test still passes in most draws, yet cs|passed is as biased as cs — passing is no guarantee (Roth 2022).',
        path: 'outcome.trend.by.x',
      },
      {
        text: 'Raise the population size: the pre-test gets more power and passes less often, but the estimates that pass are still biased.',
        path: 'population.size',
      },
    ],
  },
  teach_efficient: {
    title: 'The efficient estimator in a randomised rollout',
    steps: [
      {
        text: 'Both estimators are unbiased here: compare their power and RMSE. The efficient estimator (Roth & Sant’Anna) uses the pre-periods more fully.',
      },
      {
        text: 'Move the persistence of the noise (outcome.rho) up: with persistent outcomes both gain power, and the efficient estimator’s advantage shrinks.',
        path: 'outcome.rho',
      },
      { text: 'Move the effect size down: power falls for both, and the efficient estimator stays ahead.', path: 'effect.size' },
    ],
  },
  teach_stepped_wedge: {
    title: 'A stepped wedge with a growing effect',
    steps: [
      { text: 'cs follows the truth; hh (Hussey & Hughes) and twfe assume an immediate, constant step and understate the growing effect.' },
      {
        text: 'Move the growth of the effect (the ramp) to 0: the effect is a step, hh and twfe become unbiased and more precise than cs.',
        path: 'effect.ramp',
      },
      {
        text: 'Move the number of clusters: with few clusters even an unbiased estimator covers less than 95 % — watch cs’s coverage.',
        path: 'design.clusters',
      },
      {
        text: 'Move the ICC up: in a stepped wedge each cluster is compared with itself, so a higher ICC costs little power here — unlike a parallel cluster trial.',
        path: 'outcome.icc',
      },
    ],
  },
};

export function lessonFor(name: string): Lesson | null {
  return LESSONS[name] ?? null;
}
