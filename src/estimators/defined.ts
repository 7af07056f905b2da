/** The options that are set: undefined values dropped, so spreading them over defaults keeps the defaults. */
export function definedOnly<T extends object>(o: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
