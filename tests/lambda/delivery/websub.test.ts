import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { notifyHub } from '../../../lambda/delivery/websub.ts';
import { startRecordingServer } from '../../helpers/recording-server.ts';

let hub: Awaited<ReturnType<typeof startRecordingServer>> | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const feeds = [
  'https://f.example.com/rss.xml',
  'https://f.example.com/atom.xml',
  'https://f.example.com/feed.json',
];

describe('notifyHub', () => {
  it('pings the hub for every feed at once: a hub that answers only when all three are waiting gets all three', async () => {
    const waiting: ServerResponse[] = [];
    hub = await startRecordingServer((_request, response) => {
      waiting.push(response);
      if (waiting.length === feeds.length) for (const held of waiting) held.writeHead(204).end();
    });
    await notifyHub(`${hub.url}/hub`, feeds);
    expect(hub.requests.map((request) => new URLSearchParams(request.body).get('hub.url')).sort()).toEqual(
      [...feeds].sort(),
    );
  });

  it('reports every feed the hub refused, after trying them all', async () => {
    hub = await startRecordingServer((request, response) => {
      response.writeHead(request.body.includes('atom') ? 503 : 204).end();
    });
    await expect(notifyHub(`${hub.url}/hub`, feeds)).rejects.toThrow(
      /answered 503 for https:\/\/f\.example\.com\/atom\.xml/,
    );
    expect(hub.requests).toHaveLength(3);
  });
});
