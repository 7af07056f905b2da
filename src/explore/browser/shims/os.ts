/** node:os for the explorer's bundle: the memory the draw-size check budgets (navigator.deviceMemory, in GiB, when the browser tells). */
export function totalmem(): number {
  const gib = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory ?? 4;
  return gib * 2 ** 30;
}
export default { totalmem };
