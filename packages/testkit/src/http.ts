/** A small JSON client for tests: every call resolves with status, headers and parsed body. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One call and its answer, as a client's `check` sees it. */
export interface HttpExchange {
  method: string;
  /** The path given to the client, below its base URL, with its query string. */
  path: string;
  response: TestResponse;
}

export interface HttpClientOptions {
  /** Looks at every answer; when it throws, the call fails with its error (the e2e tests check each answer against the API document). */
  check?: (exchange: HttpExchange) => void;
}

export function httpClient(baseUrl: string, options: HttpClientOptions = {}) {
  async function call<T = any>(method: string, path: string, request: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    let body: string | undefined = request.raw;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    } else if (request.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    const answer: TestResponse<T> = { status: response.status, headers: response.headers, body: parsed as T };
    options.check?.({ method, path, response: answer });
    return answer;
  }
  return {
    get: <T = any>(path: string, options?: Parameters<typeof call>[2]) => call<T>('GET', path, options),
    post: <T = any>(path: string, body?: unknown, options?: Parameters<typeof call>[2]) => call<T>('POST', path, { ...options, body }),
    put: <T = any>(path: string, body?: unknown, options?: Parameters<typeof call>[2]) => call<T>('PUT', path, { ...options, body }),
    patch: <T = any>(path: string, body?: unknown, options?: Parameters<typeof call>[2]) => call<T>('PATCH', path, { ...options, body }),
    delete: <T = any>(path: string, options?: Parameters<typeof call>[2]) => call<T>('DELETE', path, options),
    call,
  };
}
export type HttpClient = ReturnType<typeof httpClient>;
