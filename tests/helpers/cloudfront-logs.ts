import { gzipSync } from 'node:zlib';
import { cloudFrontLogFields } from '../../lambda/core/stats/access-log.ts';

/**
 * A generated CloudFront standard-log corpus whose counts are known by construction: readers
 * polling with repeated 200s and 304s (IPv4 and IPv6, one address with two apps, one app at two
 * addresses), aggregators reporting subscribers more than once a day, robots, requests that are
 * not for a current feed, refused requests, and malformed lines. The expected figures come from
 * the model that wrote the lines, not from the code under test.
 */
export interface CorpusFile {
  /** A CloudFront log object's name: `<distribution>.<YYYY-MM-DD-HH>.<id>.gz`. */
  readonly name: string;
  readonly body: Buffer;
}

export interface ExpectedFeed {
  requests: number;
  bytes: number;
  notModified: number;
  bots: number;
  readers: number;
  subscribers: Record<string, number>;
  apps: Record<string, number>;
}

export interface Corpus {
  readonly files: readonly CorpusFile[];
  /** By date, by feed path. */
  readonly expected: Record<string, Record<string, ExpectedFeed>>;
  readonly malformedLines: number;
  /** Every address and User-Agent the corpus holds: none may be kept anywhere. */
  readonly identities: readonly string[];
}

const readerApps = [
  { app: 'NetNewsWire', ua: 'NetNewsWire (RSS Reader; https://netnewswire.com/)' },
  { app: 'Reeder', ua: 'Reeder/5.0 CFNetwork/1410.0.3 Darwin/22.6.0' },
  { app: 'Thunderbird', ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0' },
  { app: 'Firefox (browser)', ua: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' },
  { app: 'Miniflux', ua: 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)' },
  { app: 'Lire', ua: 'Lire/2.1 (iPhone; iOS 18.1)' },
];

const aggregators = [
  {
    app: 'Feedly',
    ua: (n: number) => `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; )`,
  },
  {
    app: 'Inoreader',
    ua: (n: number) => `Mozilla/5.0 (compatible; Inoreader/1.0; https://www.inoreader.com; ${n} subscribers)`,
  },
  {
    app: 'NewsBlur',
    ua: (n: number) =>
      `NewsBlur Feed Fetcher - ${n} subscribers - https://www.newsblur.com/site/1/x (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7))`,
  },
  { app: 'Feedbin', ua: (n: number) => `Feedbin feed-id:1373711 - ${n} subscribers` },
  {
    app: 'The Old Reader',
    ua: (n: number) => `Mozilla/5.0 (compatible; theoldreader.com; ${n} subscribers; feed-id=12)`,
  },
  {
    app: 'Feedspot',
    ua: (n: number) =>
      `Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google); ${n} subscribers)`,
  },
];

const bots = ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0', ''];

const feeds = ['/rss.xml', '/atom.xml', '/feed.json', '/categories/world/rss.xml'];
const feedBytes = 5123;
const notModifiedBytes = 281;

/** A small deterministic generator, so a failing count can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface Line {
  readonly at: number;
  readonly text: string;
}

export function generateCorpus(dates: readonly string[] = ['2026-11-30', '2026-12-01'], seed = 7): Corpus {
  const next = random(seed);
  const lines: Line[] = [];
  const expected: Record<string, Record<string, ExpectedFeed>> = {};
  const identities = new Set<string>();
  const feedOf = (date: string, path: string): ExpectedFeed => {
    const day = expected[date] ?? {};
    expected[date] = day;
    const feed = day[path] ?? {
      requests: 0,
      bytes: 0,
      notModified: 0,
      bots: 0,
      readers: 0,
      subscribers: {},
      apps: {},
    };
    day[path] = feed;
    return feed;
  };
  const emit = (
    date: string,
    second: number,
    fields: { ip: string; ua: string; method?: string; path: string; status: number; bytes: number },
  ) => {
    identities.add(fields.ip);
    if (fields.ua.length > 8) identities.add(fields.ua);
    const time = new Date(Date.parse(`${date}T00:00:00Z`) + second * 1000).toISOString();
    const values: Record<string, string> = {
      date: time.slice(0, 10),
      time: time.slice(11, 19),
      'x-edge-location': 'FRA56-P4',
      'sc-bytes': String(fields.bytes),
      'c-ip': fields.ip,
      'cs-method': fields.method ?? 'GET',
      'cs(Host)': 'd111111abcdef8.cloudfront.net',
      'cs-uri-stem': fields.path,
      'sc-status': String(fields.status),
      'cs(Referer)': '-',
      // CloudFront encodes a User-Agent's spaces twice at times: both ways appear.
      'cs(User-Agent)':
        fields.ua === '' ? '-' : encodeURI(fields.ua).replace(/%20/g, next() < 0.5 ? '%20' : '%2520'),
      'cs-uri-query': '-',
      'cs(Cookie)': '-',
      'x-edge-result-type': fields.status === 304 ? 'RefreshHit' : 'Hit',
      'x-edge-request-id': `req${lines.length}`,
      'x-host-header': 'feeds.example.com',
      'cs-protocol': 'https',
      'cs-bytes': '220',
      'time-taken': '0.001',
      'x-forwarded-for': '-',
      'ssl-protocol': 'TLSv1.3',
      'ssl-cipher': 'TLS_AES_128_GCM_SHA256',
      'x-edge-response-result-type': 'Hit',
      'cs-protocol-version': 'HTTP/2.0',
      'fle-status': '-',
      'fle-encrypted-fields': '-',
      'c-port': '443',
      'time-to-first-byte': '0.001',
      'x-edge-detailed-result-type': 'Hit',
      'sc-content-type': 'application/rss+xml;%20charset=utf-8',
      'sc-content-len': String(fields.bytes),
      'sc-range-start': '-',
      'sc-range-end': '-',
    };
    lines.push({
      at: Date.parse(time),
      text: cloudFrontLogFields.map((field) => values[field]).join('\t'),
    });
  };
  for (const [dayIndex, date] of dates.entries()) {
    // Readers: each polls one or two feeds several times a day, the first answer 200, then 304s.
    const readers: { ip: string; ua: string; app: string }[] = [];
    for (let index = 0; index < 30 + dayIndex * 5; index += 1) {
      const { app, ua } = readerApps[index % readerApps.length] as (typeof readerApps)[number];
      const ip =
        index % 3 === 0 ? `2001:db8:${dayIndex}::${(index + 1).toString(16)}` : `198.51.100.${index + 1}`;
      readers.push({ ip, ua, app });
    }
    // One address with two apps (two readers); one app at two addresses (two readers).
    readers.push({ ip: '198.51.100.2', ua: readerApps[2]?.ua ?? '', app: readerApps[2]?.app ?? '' });
    readers.push({ ip: '203.0.113.9', ua: readerApps[0]?.ua ?? '', app: readerApps[0]?.app ?? '' });
    for (const [index, reader] of readers.entries()) {
      const paths = index % 4 === 0 ? [feeds[0], feeds[3]] : [feeds[index % 3]];
      for (const path of paths as string[]) {
        const feed = feedOf(date, path);
        feed.readers += 1;
        feed.apps[reader.app] = (feed.apps[reader.app] ?? 0) + 1;
        const polls = 1 + Math.floor(next() * 6);
        for (let poll = 0; poll < polls; poll += 1) {
          const status = poll === 0 ? 200 : 304;
          const bytes = status === 200 ? feedBytes : notModifiedBytes;
          emit(date, Math.floor(next() * 86_000), { ip: reader.ip, ua: reader.ua, path, status, bytes });
          feed.requests += 1;
          feed.bytes += bytes;
          if (status === 304) feed.notModified += 1;
        }
      }
    }
    // Aggregators: several fetchers and reports a day; the day keeps each one's highest.
    for (const [index, aggregator] of aggregators.entries()) {
      for (const path of [feeds[0], feeds[index % feeds.length]] as string[]) {
        const reports = [10 + index * 3 + dayIndex, 12 + index * 3 + dayIndex, 11 + index * 3 + dayIndex];
        const feed = feedOf(date, path);
        for (const [report, count] of reports.entries()) {
          const status = report === 0 ? 200 : 304;
          const bytes = status === 200 ? feedBytes : notModifiedBytes;
          emit(date, Math.floor(next() * 86_000), {
            ip: `192.0.2.${10 + report}`,
            ua: aggregator.ua(count),
            path,
            status,
            bytes,
          });
          feed.requests += 1;
          feed.bytes += bytes;
          if (status === 304) feed.notModified += 1;
        }
        feed.subscribers[aggregator.app] = Math.max(feed.subscribers[aggregator.app] ?? 0, ...reports);
      }
    }
    // Robots: counted as requests and bots, never as readers.
    for (const [index, ua] of bots.entries()) {
      const path = feeds[index % feeds.length] as string;
      emit(date, 3600 * (index + 1), {
        ip: `192.0.2.${100 + index}`,
        ua,
        path,
        status: 200,
        bytes: feedBytes,
      });
      const feed = feedOf(date, path);
      feed.requests += 1;
      feed.bytes += feedBytes;
      feed.bots += 1;
    }
    // Not counted: pages, archive feeds, a feed that does not exist, a CORS preflight.
    const reader = readers[0] as (typeof readers)[number];
    emit(date, 500, { ip: reader.ip, ua: reader.ua, path: '/index.html', status: 200, bytes: 900 });
    emit(date, 501, {
      ip: reader.ip,
      ua: reader.ua,
      path: '/archive/2026-11/rss.xml',
      status: 200,
      bytes: 900,
    });
    emit(date, 502, { ip: reader.ip, ua: reader.ua, path: '/nope/rss.xml', status: 404, bytes: 300 });
    emit(date, 503, {
      ip: reader.ip,
      ua: reader.ua,
      method: 'OPTIONS',
      path: '/feed.json',
      status: 200,
      bytes: 0,
    });
  }
  lines.sort((a, b) => a.at - b.at);
  const malformed = [
    'this is not a log line',
    ['2026-13-01', '10:00:00', 'FRA56-P4', '100', '198.51.100.1', 'GET', 'h', '/rss.xml', '200'].join('\t'),
    (lines[0]?.text.split('\t') ?? []).map((value, index) => (index === 8 ? 'OK' : value)).join('\t'),
    lines[1]?.text.split('\t').slice(0, 6).join('\t') ?? '',
  ];
  // Three log objects a day, as CloudFront writes several an hour; requests near midnight can sit
  // in the previous day's last file.
  const files: CorpusFile[] = [];
  const header = `#Version: 1.0\n#Fields: ${cloudFrontLogFields.join(' ')}\n`;
  const chunk = Math.ceil(lines.length / (dates.length * 3));
  for (let start = 0, part = 0; start < lines.length; start += chunk, part += 1) {
    const slice = lines.slice(start, start + chunk).map((line) => line.text);
    if (part < malformed.length) slice.splice(Math.floor(slice.length / 2), 0, malformed[part] as string);
    const first = new Date(lines[start]?.at ?? 0).toISOString();
    const hour = `${first.slice(0, 10)}-${first.slice(11, 13)}`;
    files.push({
      name: `E2QWRUHEXAMPLE.${hour}.${(part + 1).toString(16).padStart(8, '0')}.gz`,
      body: gzipSync(`${header}${slice.join('\n')}\n`),
    });
  }
  return {
    files,
    expected: sortedExpected(expected),
    malformedLines: Math.min(malformed.length, files.length),
    identities: [...identities],
  };
}

/** The expected maps in the order the statistics keep: largest first, then by name. */
function sortedExpected(expected: Record<string, Record<string, ExpectedFeed>>) {
  const sorted = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
  return Object.fromEntries(
    Object.entries(expected).map(([date, byPath]) => [
      date,
      Object.fromEntries(
        Object.entries(byPath)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([path, feed]) => [
            path,
            { ...feed, subscribers: sorted(feed.subscribers), apps: sorted(feed.apps) },
          ]),
      ),
    ]),
  );
}
