/**
 * Design-grid axes. Any numeric or categorical setting of a scenario may be a list of values instead
 * of one value; the schema turns such a list into an Axis, and expandGrid takes their Cartesian product.
 */

/** A list-valued setting: one grid axis. */
export class Axis<T> {
  constructor(readonly values: readonly T[]) {}
}

/** The scenario type with every axis resolved to one value (what one design point sees). */
export type Resolved<T> =
  T extends Axis<infer U> ? U : T extends readonly (infer E)[] ? Resolved<E>[] : T extends object ? { [K in keyof T]: Resolved<T[K]> } : T;

/** All values a setting can take: its axis values, or itself. */
export function valuesOf<T>(v: T | Axis<T>): readonly T[] {
  return v instanceof Axis ? v.values : [v];
}
