import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { sha256Hex } from '../core/hash.ts';
import { headersForPath } from '../core/render/feed-files.ts';
import type { AnsweredRequest } from '../core/stats/access-log.ts';

/** Headers CloudFront adds to every response (see lib/publisher-distribution.ts). */
const securityHeaders = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

/**
 * Serves a published folder the way CloudFront serves the feeds bucket: the same media types and
 * Cache-Control, an ETag and Last-Modified, 304 for If-None-Match and If-Modified-Since, CORS for
 * JSON Feed, index.html at the root, and nothing but published feeds and pages.
 */
export interface PreviewOptions {
  /** Told one line per request answered: method, path, status, milliseconds. */
  readonly log?: (line: string) => void;
  /** Told every request answered, to log it as CloudFront logs it (so `stats` reads a preview too). */
  readonly accessLog?: (request: AnsweredRequest) => void;
}

/** Where the preview's files come from: a published folder, or a build held in memory. */
export type PreviewSource = (path: string) => Promise<{ body: Buffer; modified: Date } | undefined>;

/** The files of a published folder; nothing outside it. */
export function folderSource(root: string): PreviewSource {
  return async (path) => {
    const file = normalize(join(root, path));
    if (!file.startsWith(`${normalize(root)}${sep}`)) return undefined;
    const [body, info] = await Promise.all([readFile(file), stat(file)]).catch(
      () => [undefined, undefined] as const,
    );
    return body && info ? { body, modified: info.mtime } : undefined;
  };
}

export function createPreviewServer(root: string | PreviewSource, options: PreviewOptions = {}): Server {
  const source = typeof root === 'string' ? folderSource(root) : root;
  return createServer((request, response) => {
    const started = performance.now();
    response.on('finish', () => {
      const elapsed = performance.now() - started;
      options.log?.(`${request.method} ${request.url} ${response.statusCode} ${Math.round(elapsed)} ms`);
      options.accessLog?.(answeredRequest(request, response, elapsed));
    });
    respond(source, request, response).catch(() => send(response, 500, 'internal error'));
  });
}

function answeredRequest(
  request: IncomingMessage,
  response: ServerResponse,
  elapsedMs: number,
): AnsweredRequest {
  const [path = '/', query = ''] = (request.url ?? '/').split('?', 2);
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : '';
  };
  return {
    time: new Date(),
    ip: request.socket.remoteAddress ?? '-',
    method: request.method ?? '-',
    host: header('host'),
    path,
    query,
    status: response.statusCode,
    bytes: request.method === 'HEAD' ? 0 : Number(response.getHeader('content-length') ?? 0),
    userAgent: header('user-agent'),
    referer: header('referer'),
    seconds: elapsedMs / 1000,
    contentType: String(response.getHeader('content-type') ?? ''),
  };
}

async function respond(
  source: PreviewSource,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'method not allowed', { allow: 'GET, HEAD' });
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
  } catch {
    send(response, 400, 'bad path');
    return;
  }
  if (path === '' || path.endsWith('/')) path = `${path}index.html`;
  const headers = headersForPath(path);
  const found = headers ? await source(path) : undefined;
  if (!headers || !found) {
    send(response, 404, 'not found');
    return;
  }
  const { body } = found;
  const etag = `"${sha256Hex(body).slice(0, 32)}"`;
  const lastModified = new Date(Math.floor(found.modified.getTime() / 1000) * 1000);
  const common = {
    ...securityHeaders,
    ...(path.endsWith('.json') ? { 'access-control-allow-origin': '*' } : {}),
    'content-type': headers.contentType,
    'cache-control': headers.cacheControl,
    etag,
    'last-modified': lastModified.toUTCString(),
  };
  if (isNotModified(request, etag, lastModified)) {
    response.writeHead(304, common).end();
    return;
  }
  response.writeHead(200, { ...common, 'content-length': body.byteLength });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * If-None-Match wins when both are sent, and compares weakly: W/"x" matches "x" (RFC 9110), as
 * browsers and proxies send it.
 */
function isNotModified(request: IncomingMessage, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  if (ifNoneMatch !== undefined)
    return ifNoneMatch.split(',').some((tag) => opaque(tag) === etag || tag.trim() === '*');
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && lastModified.getTime() <= since;
}

function send(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8', ...headers })
    .end(message);
}
