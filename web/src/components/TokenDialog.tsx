// Asked once when the server answers 401; the token is kept in sessionStorage for the tab.
import { useState } from "preact/hooks";

export function TokenDialog(props: { wrong: boolean; onSubmit: (token: string) => void }) {
  const [token, setToken] = useState("");
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        role="dialog"
        aria-label="Auth token"
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) props.onSubmit(token.trim());
        }}
      >
        <div class="modal-head">
          <h2>This server needs a token</h2>
        </div>
        <div class="modal-body">
          <p class="muted">
            {props.wrong
              ? "That token was refused. Enter the server's auth token again."
              : "Enter the auth token the server was started with (--auth-token or GRISTMILL_AUTH_TOKEN). It is kept for this browser tab only."}
          </p>
          <input
            class="input wide"
            type="password"
            name="token"
            autoFocus
            placeholder="Auth token"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </div>
        <div class="modal-foot">
          <button class="btn primary" type="submit" disabled={!token.trim()}>
            Continue
          </button>
        </div>
      </form>
    </div>
  );
}
