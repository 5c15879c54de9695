import { describe, expect, it } from 'vitest';
import { classifyClient } from '../../../../lambda/core/stats/user-agents.ts';

describe('telling clients apart by User-Agent', () => {
  it.each([
    ['Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; )', 'Feedly', 42],
    ['Mozilla/5.0 (compatible; Inoreader/1.0; https://www.inoreader.com; 1 subscriber)', 'Inoreader', 1],
    [
      'NewsBlur Feed Fetcher - 7 subscribers - https://www.newsblur.com/site/1/x (Mozilla/5.0)',
      'NewsBlur',
      7,
    ],
    ['Feedbin feed-id:1373711 - 3 subscribers', 'Feedbin', 3],
    ['Mozilla/5.0 (compatible; theoldreader.com; 5 subscribers; feed-id=12)', 'The Old Reader', 5],
    ['Tiny Tiny RSS/23.04 (https://tt-rss.org/) 2 subscribers', 'Tiny Tiny RSS', 2],
    ['Miniflux/2.2.3 (https://miniflux.app; 4 subscribers)', 'Miniflux', 4],
    [
      'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google); 9 subscribers)',
      'Feedspot',
      9,
    ],
    [
      'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 13 subscribers; feed-id=1)',
      'Google Feedfetcher',
      13,
    ],
    ['Netvibes (crawler/; 12 subscribers; feedID: 1)', 'Netvibes', 12],
    ['G2Reader-Bot/4.0 (+https://g2reader.com; 3 readers)', 'G2Reader-Bot', 3],
  ])('reads an aggregator report: %s', (userAgent, name, subscribers) => {
    expect(classifyClient(userAgent)).toEqual({ kind: 'aggregator', name, subscribers });
  });

  it.each([
    ['NetNewsWire (RSS Reader; https://netnewswire.com/)', 'NetNewsWire'],
    ['Reeder/5.0 CFNetwork/1410.0.3 Darwin/22.6.0', 'Reeder'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0', 'Thunderbird'],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0',
      'Edge (browser)',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 Version/17.1 Safari/605.1.15',
      'Safari (browser)',
    ],
    ['Lire/2.1 (iPhone; iOS 18.1)', 'Lire'],
    ['Mozilla/5.0 (compatible)', 'Other'],
    ['\u001b[31mred\u001b[0m', 'Other'],
    ['<script>alert(1)</script>/1.0', 'Other'],
  ])('names a reader app: %s', (userAgent, name) => {
    expect(classifyClient(userAgent)).toEqual({ kind: 'reader', name });
  });

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'curl/8.5.0',
    'python-requests/2.32.3',
    'Go-http-client/2.0',
    'facebookexternalhit/1.1',
    '',
  ])('sees a robot, reading for no one: %j', (userAgent) => {
    expect(classifyClient(userAgent).kind).toBe('bot');
  });
});
