/**
 * node:fs for the explorer's bundle: the page has no file system. The scenario comes as text; a scenario
 * that names a data file (population.from_panel) is refused by `stagger explore` before the page is
 * written, so reaching any of these is a bug, said as one.
 */
const none = (what: string) => (): never => {
  throw new Error(`${what}: the explorer page has no file system (the scenario must not name data files)`);
};
export const readFileSync = none('readFileSync');
export const existsSync = (): boolean => false;
export const openSync = none('openSync');
export const fstatSync = none('fstatSync');
export const readSync = none('readSync');
export const closeSync = (): void => {};
export const constants = { O_RDONLY: 0, O_NONBLOCK: 0 };
export default { readFileSync, existsSync, openSync, fstatSync, readSync, closeSync, constants };
