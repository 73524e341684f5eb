// Server-sent events read with fetch() rather than EventSource: EventSource cannot send the
// Authorization header a token-protected server needs.
import { apiFetch } from "./client";

export interface SseMessage {
  event: string;
  data: string;
}

/** Read an event stream until `signal` aborts; reconnects after `retry` ms when it drops. */
export async function readEvents(
  path: string,
  onMessage: (message: SseMessage) => void,
  signal: AbortSignal,
  onConnected: (connected: boolean) => void = () => {},
): Promise<void> {
  let retryMs = 2000;
  while (!signal.aborted) {
    try {
      const response = await apiFetch(path, { signal, headers: { Accept: "text/event-stream" } });
      onConnected(true);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, "\n");
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseBlock(block);
          if (message.retry !== null) retryMs = message.retry;
          if (message.data !== null) onMessage({ event: message.event, data: message.data });
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      console.warn("job events stream dropped", error);
    }
    onConnected(false);
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

function parseBlock(block: string): { event: string; data: string | null; retry: number | null } {
  let event = "message";
  const data: string[] = [];
  let retry: number | null = null;
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }
  return { event, data: data.length ? data.join("\n") : null, retry };
}
