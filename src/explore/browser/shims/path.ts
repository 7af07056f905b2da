/**
 * node:path for the explorer's bundle: the POSIX functions the scenario code calls. In the page there is
 * no file system; scenario paths are only labels, so these need only be right for plain relative names.
 */
const norm = (parts: string[]): string => {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
};
export const isAbsolute = (p: string): boolean => p.startsWith('/');
export function join(...ps: string[]): string {
  const j = ps.filter((p) => p !== '').join('/');
  return (isAbsolute(j) ? '/' : '') + norm(j.split('/')) || '.';
}
export function resolve(...ps: string[]): string {
  let at = '/';
  for (const p of ps) at = isAbsolute(p) ? p : `${at}/${p}`;
  return `/${norm(at.split('/'))}`;
}
export function dirname(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
}
export function basename(p: string, ext = ''): string {
  const b = p.replace(/\/+$/, '').split('/').pop() ?? '';
  return ext && b.endsWith(ext) ? b.slice(0, -ext.length) : b;
}
export function extname(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i);
}
export default { isAbsolute, join, resolve, dirname, basename, extname };
