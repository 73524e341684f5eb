// Every call to the REST API goes through here: the base path, the bearer token and the one
// error shape ({"error": {code, message, hint}}) turned into an ApiError the UI can show.
import type { ErrorDetail } from "./types";

export const API = "/api/v1";
const TOKEN_KEY = "gristmill.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// The app shows a token dialog; requests that met a 401 wait for it and retry once.
type TokenAsker = (wrongToken: boolean) => Promise<string>;
let askToken: TokenAsker | null = null;
let pendingAsk: Promise<string> | null = null;

export function onTokenNeeded(asker: TokenAsker): void {
  askToken = asker;
}

async function tokenAfter401(): Promise<string> {
  if (!askToken) throw new ApiError(401, "unauthorized", "this server needs a bearer token");
  // Many requests may fail at once; the user is asked once.
  pendingAsk ??= askToken(getToken() !== null).finally(() => {
    pendingAsk = null;
  });
  const token = await pendingAsk;
  setToken(token);
  return token;
}

// Sent with every request: a form on another site cannot set a custom header, so the server
// takes it as proof that an upload (or any form-encoded body) comes from this UI.
const REQUEST_HEADER = { "X-Gristmill-Request": "1" };

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function requestHeaders(): Record<string, string> {
  return { ...REQUEST_HEADER, ...authHeaders() };
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: ErrorDetail; detail?: unknown };
    if (body.error) {
      return new ApiError(response.status, body.error.code, body.error.message, body.error.hint);
    }
  } catch {
    // Not JSON (a proxy's page): fall through to the status text.
  }
  return new ApiError(response.status, "http_error", `${response.status} ${response.statusText}`);
}

/** fetch() against the API, asking for the token and retrying once on 401. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () =>
    fetch(API + path, { ...init, headers: { ...requestHeaders(), ...(init.headers ?? {}) } });
  let response = await send();
  // A refused token is asked for again (the dialog then says it was refused).
  while (response.status === 401 && askToken) {
    await tokenAfter401();
    response = await send();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await apiFetch(path)).json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await apiFetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export async function deleteJson(path: string): Promise<void> {
  await apiFetch(path, { method: "DELETE" });
}

/** A multipart upload with upload progress (fetch cannot report it; XHR can). */
export function uploadForm<T>(
  path: string,
  form: FormData,
  onProgress: (sent: number, total: number) => void,
): Promise<T> {
  const attempt = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", API + path);
      for (const [key, value] of Object.entries(requestHeaders())) xhr.setRequestHeader(key, value);
      xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
      xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
      xhr.onerror = () => reject(new ApiError(0, "network", "the upload failed (network error)"));
      xhr.send(form);
    });
  return (async () => {
    let result = await attempt();
    while (result.status === 401 && askToken) {
      await tokenAfter401();
      result = await attempt();
    }
    if (result.status >= 400) {
      throw await errorOf(new Response(result.text, { status: result.status }));
    }
    return JSON.parse(result.text) as T;
  })();
}

export function datasetPath(namespace: string, name: string): string {
  return `/datasets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
