/** node:worker_threads for the explorer's bundle: the scenario code runs in Web Workers, never the Node main thread (no stderr). */
export const isMainThread = false;
export default { isMainThread };
