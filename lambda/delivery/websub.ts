export class HubNotifyError extends Error {
  override readonly name = 'HubNotifyError';
}

/** Tells a WebSub hub that these feeds changed (hub.mode=publish), so subscribers hear at once. */
export async function notifyHub(hubUrl: string, feedUrls: readonly string[]): Promise<void> {
  for (const url of feedUrls) {
    const response = await fetch(hubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new HubNotifyError(`hub ${hubUrl} answered ${response.status} for ${url}`);
  }
}
