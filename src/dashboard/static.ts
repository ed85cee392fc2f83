// The built UI (dist/dashboard, from web/ by `npm run build`): index.html for the app's routes,
// /assets/* with their content types, and a plain page saying how to build when there is none.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** what may be served from the top of the UI folder, which also holds the dashboard's compiled server */
const publicFiles = new Set(['.svg', '.png', '.ico', '.txt', '.webmanifest', '.jpg']);

export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** dist/dashboard of this package, whether this module runs from src (tsx) or from dist */
export function defaultUiDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'dist', 'dashboard');
}

export const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>karmada-ts dashboard</title></head>
<body><h1>karmada-ts dashboard</h1>
<p>The dashboard's pages are not built in this tree. Run <code>npm run build</code>, then restart the dashboard.</p>
<p>The API is served meanwhile: <a href="/ui/v1/clusters">/ui/v1/clusters</a>, <a href="/ui/v1/workloads">/ui/v1/workloads</a>.</p>
</body></html>
`;

/** the pages load only what this server serves (the UI bundles everything), and no one frames them */
export const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface StaticAnswer {
  status: number;
  contentType: string;
  body: Buffer | string;
  /** hashed assets never change; index.html must be revalidated */
  cacheControl: string;
}

/**
 * The answer for a static path: an existing file under /assets/ (404 when missing), else index.html
 * (client-side routes), else the not-built page. Undefined for paths that are not ours.
 */
export async function staticAnswer(uiDir: string, pathname: string): Promise<StaticAnswer | undefined> {
  if (pathname.startsWith('/k8s/') || pathname === '/k8s' || pathname.startsWith('/ui/')) return undefined;
  const index = join(uiDir, 'index.html');
  if (pathname.startsWith('/assets/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      decoded = '';
    }
    const file = normalize(join(uiDir, decoded));
    if (!decoded || !file.startsWith(join(uiDir, 'assets') + sep)) return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n', cacheControl: 'no-store' };
    try {
      return { status: 200, contentType: contentTypeOf(file), body: await readFile(file), cacheControl: 'public, max-age=31536000, immutable' };
    } catch {
      return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found\n', cacheControl: 'no-store' };
    }
  }
  // top-level files Vite copies from public/ (favicon.svg, ...); never the compiled server beside them
  const top = pathname.slice(1);
  if (top && !top.includes('/') && publicFiles.has(extname(top).toLowerCase())) {
    const file = join(uiDir, top);
    if (existsSync(file)) return { status: 200, contentType: contentTypeOf(file), body: await readFile(file), cacheControl: 'no-cache' };
  }
  if (existsSync(index)) return { status: 200, contentType: contentTypes['.html']!, body: await readFile(index), cacheControl: 'no-cache' };
  return { status: 200, contentType: contentTypes['.html']!, body: notBuiltPage, cacheControl: 'no-cache' };
}
