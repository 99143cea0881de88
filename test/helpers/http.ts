/** An answer read by `json()`: its status, its body parsed, its headers. */
export interface JsonAnswer {
  status: number;
  // The tests read the answers' fields freely; each assertion says what it expects.
  body: any;
  headers: Headers;
  /** The content type, or null. */
  type: string | null;
}

/** Fetches `url` and parses the body as JSON; a body that is not JSON fails, quoting it. */
export async function json(url: string, init?: RequestInit): Promise<JsonAnswer> {
  const { answer, parsed } = await read(url, init);
  if (!parsed) throw new Error(`${url}: not JSON (${answer.status}, ${answer.type}): ${String(answer.body).slice(0, 300)}`);
  return answer;
}

/**
 * The same, but a body that is not JSON is kept as text (a string), so that
 * the assertion on it says what came: for answers from rogue or broken peers.
 */
export async function jsonOrText(url: string, init?: RequestInit): Promise<JsonAnswer> {
  return (await read(url, init)).answer;
}

async function read(url: string, init: RequestInit | undefined): Promise<{ answer: JsonAnswer; parsed: boolean }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  let parsed = false;
  try {
    body = JSON.parse(text);
    parsed = true;
  } catch {
    // Kept as text: the assertion says what came.
  }
  return { answer: { status: res.status, body, headers: res.headers, type: res.headers.get('content-type') }, parsed };
}
