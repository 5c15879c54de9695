/** Most paths one publish invalidates one by one; beyond this, whole folders are invalidated with `*`. */
export const maxInvalidationPaths = 30;

/**
 * CloudFront paths for the files a publish changed: each path URL-encoded, `index.html` also as
 * `/`, and, when there are many, folders collapsed to a wildcard (each path costs, `*` counts once).
 */
export function invalidationPaths(changed: readonly string[]): string[] {
  const paths = changed.flatMap((file) => {
    const encoded = `/${file.split('/').map(encodeURIComponent).join('/')}`;
    return file === 'index.html' ? ['/', encoded] : [encoded];
  });
  if (paths.length <= maxInvalidationPaths) return paths;
  const collapsed = new Set(
    paths.map((path) => (path.indexOf('/', 1) > 0 ? `${path.slice(0, path.indexOf('/', 1))}/*` : path)),
  );
  return collapsed.size <= maxInvalidationPaths ? [...collapsed].sort() : ['/*'];
}
