export class HubNotifyError extends Error {
  override readonly name = 'HubNotifyError';
}

/** All pings of one publish share this deadline: a slow hub never holds the function up for long. */
const pingDeadlineMs = 10_000;

/**
 * Tells a WebSub hub that these feeds changed (hub.mode=publish), so subscribers hear at once.
 * The pings go out together, under one deadline; every failure is reported.
 */
export async function notifyHub(hubUrl: string, feedUrls: readonly string[]): Promise<void> {
  const signal = AbortSignal.timeout(pingDeadlineMs);
  const outcomes = await Promise.allSettled(
    feedUrls.map(async (url) => {
      const response = await fetch(hubUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
        signal,
      });
      if (!response.ok) throw new HubNotifyError(`hub ${hubUrl} answered ${response.status} for ${url}`);
    }),
  );
  const failures = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected'
      ? [outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)]
      : [],
  );
  if (failures.length > 0) throw new HubNotifyError(failures.join('; '));
}
