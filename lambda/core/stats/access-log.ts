/**
 * CloudFront standard access logs (W3C extended format, one request a line, tab-separated,
 * field names in a `#Fields:` line). Fields are found by name, so logs with fields added or
 * left out still read; values are URL-encoded, `-` when empty.
 */

/** The fields CloudFront's standard logs carry, in their order: what `serve` writes too. */
export const cloudFrontLogFields = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'c-ip',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'cs(Referer)',
  'cs(User-Agent)',
  'cs-uri-query',
  'cs(Cookie)',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'x-forwarded-for',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'fle-status',
  'fle-encrypted-fields',
  'c-port',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
  'sc-range-start',
  'sc-range-end',
] as const;

/** The fields a statistic needs; a log without one of them cannot be read. */
const neededFields = [
  'date',
  'c-ip',
  'cs-method',
  'cs-uri-stem',
  'sc-status',
  'sc-bytes',
  'cs(User-Agent)',
] as const;

/** One request as the statistics see it. */
export interface LoggedRequest {
  /** The day it was answered, UTC: `YYYY-MM-DD`. */
  readonly date: string;
  readonly method: string;
  /** The path, decoded, without the query: `/rss.xml`. */
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  readonly ip: string;
  /** Decoded; '' when the client sent none. */
  readonly userAgent: string;
}

/** A line that is not a request: why, for the report. */
export interface MalformedLine {
  readonly line: number;
  readonly problem: string;
}

/**
 * Reads a log file a line at a time: a header line sets the fields of the lines after it
 * (CloudFront's field list until one comes), a request line gives a request, anything else a
 * problem. One reader per file.
 */
export function createLogLineReader(): (text: string) => LoggedRequest | MalformedLine | undefined {
  let columns = columnsOf(cloudFrontLogFields);
  let lineNumber = 0;
  return (text) => {
    lineNumber += 1;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line === '') return undefined;
    if (line.startsWith('#')) {
      if (line.startsWith('#Fields:')) {
        const names = line.slice('#Fields:'.length).trim().split(/\s+/);
        const missing = neededFields.filter((field) => !names.includes(field));
        if (missing.length > 0)
          return { line: lineNumber, problem: `the #Fields line lacks ${missing.join(', ')}` };
        columns = columnsOf(names);
      }
      return undefined;
    }
    const problem = (reason: string): MalformedLine => ({ line: lineNumber, problem: reason });
    const values = line.split('\t');
    if (values.length < columns.count)
      return problem(`has ${values.length} fields where the #Fields line names ${columns.count}`);
    const value = (field: (typeof neededFields)[number]) => values[columns.index[field] as number] ?? '';
    const date = value('date');
    if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date))
      return problem(`date '${shorten(date)}' is not YYYY-MM-DD`);
    const status = Number(value('sc-status'));
    if (!Number.isInteger(status) || status < 100 || status > 599)
      return problem(`sc-status '${shorten(value('sc-status'))}' is not an HTTP status`);
    const bytes = value('sc-bytes') === '-' ? 0 : Number(value('sc-bytes'));
    if (!Number.isInteger(bytes) || bytes < 0)
      return problem(`sc-bytes '${shorten(value('sc-bytes'))}' is not a byte count`);
    const stem = value('cs-uri-stem');
    if (!stem.startsWith('/')) return problem(`cs-uri-stem '${shorten(stem)}' is not a path`);
    const ip = value('c-ip');
    if (ip === '' || ip === '-') return problem('c-ip is empty');
    return {
      date,
      method: value('cs-method'),
      path: decodeField(stem),
      status,
      bytes,
      ip,
      userAgent: value('cs(User-Agent)') === '-' ? '' : decodeField(value('cs(User-Agent)')),
    };
  };
}

function columnsOf(names: readonly string[]) {
  const index: Record<string, number> = {};
  names.forEach((name, position) => {
    index[name] = position;
  });
  return { index, count: Math.max(...neededFields.map((field) => index[field] ?? 0)) + 1 };
}

/**
 * CloudFront URL-encodes values, and encodes some characters twice (a space in a User-Agent can
 * come as %2520); a value that does not decode is kept as it is.
 */
export function decodeField(value: string): string {
  let decoded = value;
  for (let pass = 0; pass < 2 && decoded.includes('%'); pass += 1) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return decoded;
    }
  }
  return decoded;
}

/** URL-encodes a value for a log line as CloudFront does: no tab, space or line break is left. */
export function encodeField(value: string): string {
  return value === '' ? '-' : encodeURI(value.replace(loneSurrogate, '\uFFFD'));
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value quoted in a problem: short, and no control character reaches a terminal. */
function shorten(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** Whether a value is a malformed line rather than a request. */
export function isMalformed(value: LoggedRequest | MalformedLine): value is MalformedLine {
  return 'problem' in value;
}

/** A request a local server answered, to be logged as CloudFront would. */
export interface AnsweredRequest {
  readonly time: Date;
  readonly ip: string;
  readonly method: string;
  readonly host: string;
  /** The path as requested (still URL-encoded), without the query. */
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly bytes: number;
  readonly userAgent: string;
  readonly referer: string;
  readonly seconds: number;
  readonly contentType: string;
}

/** The two header lines that start a log file. */
export function logFileHeader(): string {
  return `#Version: 1.0\n#Fields: ${cloudFrontLogFields.join(' ')}\n`;
}

/** One request as a CloudFront standard log line, every field in its place. */
export function logLineOf(request: AnsweredRequest): string {
  const iso = request.time.toISOString();
  const values: Record<(typeof cloudFrontLogFields)[number], string> = {
    date: iso.slice(0, 10),
    time: iso.slice(11, 19),
    'x-edge-location': 'LOCAL',
    'sc-bytes': String(request.bytes),
    'c-ip': request.ip,
    'cs-method': request.method,
    'cs(Host)': encodeField(request.host),
    'cs-uri-stem': request.path.replace(/[^\x21-\x7e]/g, encodeURIComponent),
    'sc-status': String(request.status),
    'cs(Referer)': encodeField(request.referer),
    'cs(User-Agent)': encodeField(request.userAgent),
    'cs-uri-query': encodeField(request.query),
    'cs(Cookie)': '-',
    'x-edge-result-type': request.status >= 400 ? 'Error' : 'Miss',
    'x-edge-request-id': '-',
    'x-host-header': encodeField(request.host),
    'cs-protocol': 'http',
    'cs-bytes': '-',
    'time-taken': request.seconds.toFixed(3),
    'x-forwarded-for': '-',
    'ssl-protocol': '-',
    'ssl-cipher': '-',
    'x-edge-response-result-type': request.status >= 400 ? 'Error' : 'Miss',
    'cs-protocol-version': 'HTTP/1.1',
    'fle-status': '-',
    'fle-encrypted-fields': '-',
    'c-port': '-',
    'time-to-first-byte': request.seconds.toFixed(3),
    'x-edge-detailed-result-type': request.status >= 400 ? 'Error' : 'Miss',
    'sc-content-type': encodeField(request.contentType),
    'sc-content-len': '-',
    'sc-range-start': '-',
    'sc-range-end': '-',
  };
  return `${cloudFrontLogFields.map((field) => values[field]).join('\t')}\n`;
}
