import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the proxy sees it, for a fault injector to pick on. */
export interface ProxiedRequest {
  readonly method: string;
  readonly bucket: string;
  /** The object key, or '' for a bucket-level request (a listing). */
  readonly key: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * What goes wrong with one request: an error status before the server sees it (S3's 503
 * SlowDown or 500 InternalError), a connection dropped before it is sent on, a connection dropped
 * after the server carried it out (the client cannot tell whether a PUT landed), or latency.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: 500 | 503 }
  | { readonly kind: 'reset-before' }
  | { readonly kind: 'reset-after' }
  | { readonly kind: 'delay'; readonly ms: number };

export interface ProxyOptions {
  /** The ETag the object has now, or undefined when it does not exist (read from the server directly). */
  readonly currentEtag: (bucket: string, key: string) => Promise<string | undefined>;
  /** Called before a PutObject is checked; a fault injector may change the object meanwhile. */
  readonly beforePut?: (key: string) => Promise<void>;
  /** Called for every request; may hold it (a promise) and answers the fault to inject, if any. */
  readonly fault?: (request: ProxiedRequest) => Fault | undefined | Promise<Fault | undefined>;
}

const errorBodies = {
  500: '<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>',
  503: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
};

/**
 * A loopback proxy in front of s3rver that enforces what real S3 and the feeds bucket policy do and
 * s3rver does not: a PutObject without If-Match or If-None-Match is refused (403, like the bucket
 * policy), one whose condition does not hold gets 412 Precondition Failed, and so does a
 * DeleteObject whose If-Match does not hold. It can also inject the faults S3 and the network
 * have, and tells how many requests it is still working on.
 */
export async function startConditionalWriteProxy(target: string, options: ProxyOptions) {
  const targetUrl = new URL(target);
  const log: { method: string; path: string; status: number; bytesIn: number; bytesOut: number }[] = [];
  const faults: { method: string; key: string; fault: Fault['kind'] }[] = [];
  let inFlight = 0;
  const send = (method: string, path: string, headers: IncomingHttpHeaders, body?: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = forward(
        { hostname: targetUrl.hostname, port: targetUrl.port, method, path, headers },
        (response) => {
          const chunks: Buffer[] = [];
          // A connection cut mid-answer is a failed request, never an uncaught 'aborted'.
          response.on('error', reject);
          response.on('aborted', () => reject(new Error('the server cut its answer short')));
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
    });

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
    inFlight += 1;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      inFlight -= 1;
    };
    const chunks: Buffer[] = [];
    // A client that gives up mid-request (the SDK after a dropped connection) is not an error here.
    incoming.on('error', end);
    response.on('error', end);
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const path = incoming.url ?? '/';
      const method = incoming.method ?? 'GET';
      const [objectPath = '', query = ''] = path.split('?');
      const [, bucket = '', ...keyParts] = objectPath.split('/');
      const key = decodeURIComponent(keyParts.join('/'));
      const isObject = key !== '';
      // A PutObject (the SDK adds x-id=PutObject), not a bucket creation or a sub-resource such as ?acl.
      const isPutObject =
        method === 'PUT' && isObject && !/(^|&)(acl|tagging|partNumber|uploadId)=/.test(query);
      const reply = (status: number, headers: IncomingHttpHeaders, body: Buffer | string) => {
        log.push({
          method,
          path,
          status,
          bytesIn: Buffer.concat(chunks).length,
          bytesOut: typeof body === 'string' ? Buffer.byteLength(body) : body.length,
        });
        response.writeHead(status, headers).end(body, end);
      };
      const refuse = (status: number, code: string, message: string) =>
        reply(
          status,
          { 'content-type': 'application/xml' },
          `<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
        );
      const drop = () => {
        incoming.socket.destroy();
        end();
      };
      const forwardRequest = async (after?: 'reset-after'): Promise<void> => {
        const ifMatch = incoming.headers['if-match'];
        const ifNoneMatch = incoming.headers['if-none-match'];
        if (isPutObject) {
          if (ifMatch === undefined && ifNoneMatch === undefined) {
            refuse(403, 'AccessDenied', 'unconditional write');
            return;
          }
          const etag = await options.currentEtag(bucket, key);
          const holds = ifNoneMatch === '*' ? etag === undefined : etag !== undefined && etag === ifMatch;
          if (!holds) {
            refuse(
              412,
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
            );
            return;
          }
        }
        if (method === 'DELETE' && isObject && ifMatch !== undefined) {
          const etag = await options.currentEtag(bucket, key);
          if (etag === undefined) {
            refuse(404, 'NoSuchKey', 'The specified key does not exist.');
            return;
          }
          if (etag !== ifMatch) {
            refuse(
              412,
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
            );
            return;
          }
        }
        const result = await send(method, path, incoming.headers, Buffer.concat(chunks));
        if (after) drop();
        else reply(result.status, result.headers, result.body);
      };
      try {
        const fault = await options.fault?.({ method, bucket, key, headers: incoming.headers });
        if (fault) faults.push({ method, key, fault: fault.kind });
        if (fault?.kind === 'status') {
          const { status } = fault;
          reply(status, { 'content-type': 'application/xml' }, errorBodies[status]);
          return;
        }
        if (fault?.kind === 'reset-before') {
          drop();
          return;
        }
        if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
        if (isPutObject) await options.beforePut?.(key);
        const after = fault?.kind === 'reset-after' ? fault.kind : undefined;
        await (isObject ? oneAtATime(objectPath, () => forwardRequest(after)) : forwardRequest(after));
      } catch (error) {
        if (!response.headersSent) reply(502, {}, String(error));
        else end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    /** Every fault injected so far. */
    faults,
    /** Requests received and not yet answered (or dropped). */
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
