import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** The ETag the object has now, or undefined when it does not exist (read from the server directly). */
  readonly currentEtag: (bucket: string, key: string) => Promise<string | undefined>;
  /** Called before a PutObject is checked; a fault injector may change the object meanwhile. */
  readonly beforePut?: (key: string) => Promise<void>;
}

/**
 * A loopback proxy in front of s3rver that enforces what real S3 and the feeds bucket policy do and
 * s3rver does not: a PutObject without If-Match or If-None-Match is refused (403, like the bucket
 * policy), and one whose condition does not hold gets 412 Precondition Failed.
 */
export async function startConditionalWriteProxy(target: string, options: ProxyOptions) {
  const targetUrl = new URL(target);
  const log: { method: string; path: string; status: number; bytesIn: number; bytesOut: number }[] = [];
  const send = (
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body?: Buffer,
  ) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
      (resolve, reject) => {
        const outgoing = forward(
          { hostname: targetUrl.hostname, port: targetUrl.port, method, path, headers },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 502,
                headers: response.headers,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      },
    );

  // S3 replaces an object atomically and checks a condition in the same step; s3rver writes files
  // piece by piece. One request at a time per object keeps reads whole and conditions atomic.
  const locks = new Map<string, Promise<void>>();
  const oneAtATime = async <T>(object: string, work: () => Promise<T>): Promise<T> => {
    const before = locks.get(object) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = before.then(() => mine);
    locks.set(object, chained);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (locks.get(object) === chained) locks.delete(object);
    }
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const path = incoming.url ?? '/';
      const method = incoming.method ?? 'GET';
      const [objectPath = '', query = ''] = path.split('?');
      // A PutObject (the SDK adds x-id=PutObject), not a bucket creation or a sub-resource such as ?acl.
      const isPutObject =
        method === 'PUT' &&
        /^\/[^/]+\/.+/.test(objectPath) &&
        !/(^|&)(acl|tagging|partNumber|uploadId)=/.test(query);
      const reply = (
        status: number,
        headers: Record<string, string | string[] | undefined>,
        body: Buffer | string,
      ) => {
        log.push({
          method,
          path,
          status,
          bytesIn: Buffer.concat(chunks).length,
          bytesOut: typeof body === 'string' ? Buffer.byteLength(body) : body.length,
        });
        response.writeHead(status, headers).end(body);
      };
      const forwardRequest = async (): Promise<void> => {
        if (isPutObject) {
          const [, bucket = '', ...keyParts] = objectPath.split('/');
          const key = decodeURIComponent(keyParts.join('/'));
          const ifMatch = incoming.headers['if-match'];
          const ifNoneMatch = incoming.headers['if-none-match'];
          if (ifMatch === undefined && ifNoneMatch === undefined) {
            reply(
              403,
              { 'content-type': 'application/xml' },
              '<Error><Code>AccessDenied</Code><Message>unconditional write</Message></Error>',
            );
            return;
          }
          const etag = await options.currentEtag(bucket, key);
          const holds = ifNoneMatch === '*' ? etag === undefined : etag !== undefined && etag === ifMatch;
          if (!holds) {
            reply(
              412,
              { 'content-type': 'application/xml' },
              '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
            );
            return;
          }
        }
        const result = await send(method, path, incoming.headers, Buffer.concat(chunks));
        reply(result.status, result.headers, result.body);
      };
      const isObject = /^\/[^/]+\/.+/.test(objectPath);
      try {
        if (isPutObject) {
          const [, , ...keyParts] = objectPath.split('/');
          await options.beforePut?.(decodeURIComponent(keyParts.join('/')));
        }
        await (isObject ? oneAtATime(objectPath, forwardRequest) : forwardRequest());
      } catch (error) {
        reply(502, {}, String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
