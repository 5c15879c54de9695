import { escapeHtml } from '../content/html.ts';
import { type DayStats, subscribersOf } from './day-stats.ts';

const width = 640;
const height = 200;
const margin = { left: 48, right: 12, top: 12, bottom: 28 };
/** Two colours with at least 4.5:1 against white, told apart by dash as well as hue. */
const series = [
  { name: 'Subscribers', colour: '#0b5cad', dash: '' },
  { name: 'Readers', colour: '#a3361b', dash: '6 4' },
] as const;

/**
 * The statistics as one self-contained page: per feed, a chart of subscribers and readers per
 * day and the same figures as a table. No script, no request to anywhere.
 */
export function renderStatsPage(days: readonly DayStats[], title: string): string {
  const paths = [...new Set(days.flatMap((day) => Object.keys(day.feeds)))].sort(
    (a, b) => total(days, b) - total(days, a) || (a < b ? -1 : 1),
  );
  const sections = paths.map((path, index) => feedSection(days, path, index));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;padding:1rem;max-width:44rem}
svg{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .5rem;border-bottom:1px solid #ccc;text-align:right}
th:first-child,td:first-child{text-align:left}
.key span{margin-right:1rem}
.key b{display:inline-block;width:1.5rem;height:.2rem;vertical-align:middle;margin-right:.3rem}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${days.length === 0 ? 'No feed requests in these logs.' : `${escapeHtml(days[0]?.date ?? '')} to ${escapeHtml(days.at(-1)?.date ?? '')}. Subscribers are the readers who fetch a feed themselves plus the subscribers aggregators report.`}</p>
<p class="key">${series.map((line) => `<span><b style="background:${line.colour}"></b>${line.name}</span>`).join('')}</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

function total(days: readonly DayStats[], path: string): number {
  return days.reduce((sum, day) => sum + (day.feeds[path] ? subscribersOf(day.feeds[path]) : 0), 0);
}

function feedSection(days: readonly DayStats[], path: string, index: number): string {
  const values = days.map((day) => {
    const feed = day.feeds[path];
    return { date: day.date, subscribers: feed ? subscribersOf(feed) : 0, readers: feed?.readers ?? 0 };
  });
  const id = `feed-${index}`;
  const rows = values
    .map(
      (value) =>
        `<tr><td>${escapeHtml(value.date)}</td><td>${value.subscribers.toLocaleString('en')}</td><td>${value.readers.toLocaleString('en')}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="${id}">
<h2 id="${id}">${escapeHtml(path)}</h2>
${chart(values, id)}
<table><caption>${escapeHtml(path)}, per day</caption><thead><tr><th scope="col">Day</th><th scope="col">Subscribers</th><th scope="col">Readers</th></tr></thead><tbody>${rows}</tbody></table>
</section>`;
}

function chart(
  values: readonly { date: string; subscribers: number; readers: number }[],
  id: string,
): string {
  const top = Math.max(1, ...values.map((value) => Math.max(value.subscribers, value.readers)));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (index: number) =>
    margin.left + (values.length < 2 ? plotWidth / 2 : (index / (values.length - 1)) * plotWidth);
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const line = (pick: (value: (typeof values)[number]) => number, style: (typeof series)[number]) => {
    const points = values.map((value, index) => `${x(index).toFixed(1)},${y(pick(value)).toFixed(1)}`);
    const dots =
      values.length === 1
        ? `<circle cx="${points[0]?.split(',')[0]}" cy="${points[0]?.split(',')[1]}" r="3" fill="${style.colour}"/>`
        : '';
    return `<polyline fill="none" stroke="${style.colour}" stroke-width="2"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''} points="${points.join(' ')}"/>${dots}`;
  };
  const last = values.at(-1);
  const summary = last
    ? `Subscribers and readers per day; on ${last.date}: ${last.subscribers} subscribers, ${last.readers} readers; highest ${top}.`
    : 'No days.';
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-chart">
<title id="${id}-chart">${escapeHtml(summary)}</title>
<line x1="${margin.left}" y1="${y(0)}" x2="${width - margin.right}" y2="${y(0)}" stroke="#555"/>
<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${y(0)}" stroke="#555"/>
<text x="${margin.left - 6}" y="${margin.top + 10}" text-anchor="end" font-size="12" fill="#1a1a1a">${top.toLocaleString('en')}</text>
<text x="${margin.left - 6}" y="${y(0)}" text-anchor="end" font-size="12" fill="#1a1a1a">0</text>
<text x="${margin.left}" y="${height - 8}" font-size="12" fill="#1a1a1a">${escapeHtml(values[0]?.date ?? '')}</text>
<text x="${width - margin.right}" y="${height - 8}" text-anchor="end" font-size="12" fill="#1a1a1a">${escapeHtml(last?.date ?? '')}</text>
${line((value) => value.subscribers, series[0])}
${line((value) => value.readers, series[1])}
</svg>`;
}
