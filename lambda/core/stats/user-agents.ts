/**
 * Who a feed request came from, from its User-Agent alone: an aggregator that says how many of
 * its users subscribe ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers)"), a
 * reader app, a web browser, or a robot that reads for no one.
 */
export type Client =
  | { readonly kind: 'aggregator'; readonly name: string; readonly subscribers: number }
  | { readonly kind: 'reader'; readonly name: string }
  | { readonly kind: 'bot'; readonly name: string };

/** Feed readers and services by the name their users know, the most specific first. */
const knownApps: readonly (readonly [name: string, pattern: RegExp])[] = [
  ['Feedly', /feedly/i],
  ['Inoreader', /inoreader/i],
  ['NewsBlur', /newsblur/i],
  ['Feedbin', /feedbin/i],
  ['The Old Reader', /theoldreader|the old reader/i],
  ['Tiny Tiny RSS', /tiny tiny rss|tt-rss/i],
  ['Miniflux', /miniflux/i],
  ['FreshRSS', /freshrss/i],
  ['Feedspot', /feedspot/i],
  ['Netvibes', /netvibes/i],
  ['BazQux', /bazqux/i],
  ['Feed Wrangler', /feed ?wrangler/i],
  ['Google Feedfetcher', /feedfetcher-google/i],
  ['Flipboard', /flipboard/i],
  ['Nextcloud News', /nextcloud-news|owncloud news/i],
  ['NetNewsWire', /netnewswire/i],
  ['Reeder', /reeder/i],
  ['ReadKit', /readkit/i],
  ['Unread', /\bunread\b/i],
  ['NewsFlash', /newsflash/i],
  ['Feeder', /\bfeeder\b|com\.nononsenseapps\.feeder/i],
  ['Thunderbird', /thunderbird/i],
  ['Outlook', /microsoft outlook|microsoft office/i],
  ['Akregator', /akregator/i],
  ['Liferea', /liferea/i],
  ['QuiteRSS', /quiterss/i],
  ['RSSOwl', /rssowl/i],
  ['Vienna', /\bvienna\b/i],
  ['Fluent Reader', /fluent-reader|fluent reader/i],
  ['Newsboat', /newsboat|newsbeuter/i],
  ['Elfeed', /elfeed/i],
  ['Podcast Addict', /podcastaddict/i],
];

/** Clients that fetch for an index, a preview or a check, not for a person reading. */
const robot =
  /bot\b|bot\/|crawl|spider|slurp|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|okhttp|java\/|libwww|httpclient|headless|uptime|pingdom|monitor|facebookexternalhit|embedly|preview|scanner|^$/i;

const browsers: readonly (readonly [name: string, pattern: RegExp])[] = [
  ['Edge', /\bEdg\//],
  ['Firefox', /\bFirefox\//],
  ['Chrome', /\bChrome\//],
  ['Safari', /\bSafari\//],
];

/** "42 subscribers", "3 readers": what aggregators append for the publisher. */
const subscriberReport = /(\d{1,9})\s+(?:subscribers?|readers?)\b/i;

export function classifyClient(userAgent: string): Client {
  const named = knownApps.find(([, pattern]) => pattern.test(userAgent))?.[0];
  const report = subscriberReport.exec(userAgent);
  if (report)
    return { kind: 'aggregator', name: named ?? productName(userAgent), subscribers: Number(report[1]) };
  if (named) return { kind: 'reader', name: named };
  if (robot.test(userAgent)) return { kind: 'bot', name: productName(userAgent) };
  const browser = /^Mozilla\//.test(userAgent)
    ? browsers.find(([, pattern]) => pattern.test(userAgent))?.[0]
    : undefined;
  return { kind: 'reader', name: browser ? `${browser} (browser)` : productName(userAgent) };
}

/**
 * The first product token ("Lire/2.1 (...)" gives "Lire") when it reads as a name, else
 * "Other": a name from a User-Agent is shown on pages and terminals, so it is kept short and plain.
 */
function productName(userAgent: string): string {
  const token = /^([A-Za-z][A-Za-z0-9 ._-]{1,31}?)(?:\/|\s*\(|$)/.exec(userAgent.trim())?.[1]?.trim();
  return token && token !== 'Mozilla' ? token : 'Other';
}
