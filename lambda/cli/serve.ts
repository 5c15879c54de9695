import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import type { FeedFile } from '../core/model.ts';
import { type AnsweredRequest, logFileHeader, logLineOf } from '../core/stats/access-log.ts';
import { createPreviewServer } from './file-server.ts';
import { count, type OutputFlags, printProblems } from './output.ts';
import { buildPreview, memorySource } from './preview.ts';
import { publishCommand } from './publish.ts';
import { serveLogFolder } from './stats.ts';
import { type CliPlaces, openCliStores, templatesFolder } from './stores.ts';
import { watchContent } from './watch.ts';

/** `serve --drafts`: content built in memory, drafts and embargoes shown, rebuilt on change. */
export async function previewCommand(port: number, contentRoot: string, templates?: string): Promise<number> {
  const templatesRoot = templatesFolder(contentRoot, templates);
  if (!existsSync(join(contentRoot, 'site.json'))) {
    console.error(`feed-publisher: ${contentRoot} has no site.json to preview`);
    return 2;
  }
  const origin = `http://localhost:${port}/`;
  let current = { files: new Map<string, FeedFile>(), builtAt: new Date() };
  const build = async () => {
    try {
      const built = await buildPreview(contentRoot, origin, new Date(), templatesRoot);
      current = { files: built.files, builtAt: new Date() };
      printProblems(built.report.errors, built.report.warnings);
      console.log(`preview: ${count(built.report.published, 'article')}, drafts and embargoed ones included`);
    } catch (error) {
      console.error(`feed-publisher: ${errorMessage(error)}`);
    }
  };
  await build();
  watchContent([contentRoot, templatesRoot], build);
  const server = createPreviewServer(
    memorySource(() => current),
    { log: (line) => console.log(line) },
  );
  return listen(
    server,
    port,
    `previewing ${contentRoot} from memory at ${origin} (nothing is written; Ctrl-C to stop)`,
  );
}

function listen(server: Server, port: number, message: string): Promise<number> {
  return new Promise((done) => {
    server.on('error', (error) => {
      console.error(`cannot serve on 127.0.0.1:${port}: ${error.message}`);
      done(1);
    });
    server.listen(port, '127.0.0.1', () => console.log(message));
  });
}

/** `serve`: the output folder with CloudFront's headers, published again on every change of the content. */
export function serveCommand(root: string, port: number, places: CliPlaces & OutputFlags): Promise<number> {
  if (!existsSync(root)) {
    console.error(
      `feed-publisher: ${root} does not exist; run "npm start" to publish content/ into it first`,
    );
    return Promise.resolve(2);
  }
  const server = createPreviewServer(root, {
    log: (line) => console.log(line),
    accessLog: requestLogWriter(serveLogFolder(root)),
  });
  const content = resolve(places.content);
  if (existsSync(content) && !places.content.startsWith('s3://')) {
    const republish = async () => {
      const stores = openCliStores(places);
      try {
        await publishCommand(stores, { ...places, json: false });
      } catch (error) {
        console.error(`feed-publisher: ${errorMessage(error)}`);
      } finally {
        stores.close();
      }
    };
    watchContent([content, templatesFolder(places.content, places.templates)], republish);
    console.log(`watching ${content}: changes are published again`);
  }
  return listen(server, port, `serving ${root} at http://localhost:${port}/ (Ctrl-C to stop)`);
}

/**
 * Appends each request to a log file per day, in CloudFront's format, so `stats` reads a
 * preview as it reads the CDN. Written in order, one line at a time; a failure to write is
 * said once and serving goes on.
 */
export function requestLogWriter(folder: string): (request: AnsweredRequest) => void {
  let pending = Promise.resolve();
  let warned = false;
  return (request) => {
    const file = join(folder, `serve-${request.time.toISOString().slice(0, 10)}.log`);
    pending = pending
      .then(async () => {
        await mkdir(folder, { recursive: true });
        const fresh = !existsSync(file);
        await appendFile(file, `${fresh ? logFileHeader() : ''}${logLineOf(request)}`);
      })
      .catch((error: unknown) => {
        if (!warned) console.error(`feed-publisher: cannot write the request log: ${errorMessage(error)}`);
        warned = true;
      });
  };
}
