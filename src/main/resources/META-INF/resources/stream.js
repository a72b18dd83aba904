// The live stream client: WebSocket /api/stream with the bearer token carried as a subprotocol, resume with
// ?cursor=<the last cursor received> (the server's position in its log, opaque here), exponential back-off with
// jitter, reset handling (reload the first page, continue from its streamCursor) and sign-out on 1008.

const BASE_MS = 500;
const MAX_MS = 30000;

export function backoffDelay(attempt, random = Math.random) {
  const cap = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(cap * (0.5 + random() * 0.5));
}

export const isId = (id) => typeof id === 'string' && /^[0-9]{1,20}$/.test(id);

export function newer(a, b) { // is id a newer than id b (b may be null)?
  return b === null || b === undefined || BigInt(a) > BigInt(b);
}

// A cursor is base64url text the server issued; the page stores and returns it, never reads it.
const isCursor = (c) => typeof c === 'string' && /^[A-Za-z0-9_-]{1,2048}$/.test(c);

export class LiveStream {
  #ws = null;
  #timer = null;
  #attempt = 0;
  #resets = 0;
  #stopped = true;
  #holdUntil = 0;

  // opts: token, onTweet, onDelete, onReset() -> Promise<streamCursor of the reloaded first page>, onAuthLost,
  // onState, verify (after a failed upgrade)
  constructor(opts) {
    this.opts = opts;
    this.cursor = null;
    this.state = 'offline';
    this.onOnline = () => { if (!this.#stopped && !this.#ws) this.#open(); };
  }

  /** Starts from a first page's streamCursor (or live, without one). */
  start(cursor) {
    if (isCursor(cursor)) this.cursor = cursor;
    this.#stopped = false;
    addEventListener('online', this.onOnline);
    this.#open();
  }

  stop() {
    this.#stopped = true;
    removeEventListener('online', this.onOnline);
    clearTimeout(this.#timer);
    this.#timer = null;
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.close(1000, 'signed out');
    this.#set('offline');
  }

  /** Cuts the connection and takes the normal reconnect path (after at least holdMs). */
  disconnect(holdMs = 0) {
    if (this.#stopped) return;
    this.#holdUntil = Date.now() + Math.max(0, Number(holdMs) || 0);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) ws.close(4000, 'client disconnect');
    this.#schedule();
  }

  #set(state, detail = '') {
    this.state = state;
    this.opts.onState?.(state, detail);
  }

  #advance(cursor) {
    if (isCursor(cursor)) this.cursor = cursor;
  }

  #open() {
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#stopped) return;
    const url = new URL('api/stream', document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.cursor) url.searchParams.set('cursor', this.cursor);
    // Quarkus URL-decodes the carrier, and a subprotocol may not contain a space: hence "Bearer%20<token>".
    const carrier = `quarkus-http-upgrade#Authorization#${encodeURIComponent(`Bearer ${this.opts.token}`)}`;
    let ws;
    try {
      ws = new WebSocket(url, ['bearer-token-carrier', carrier]);
    } catch {
      this.#schedule();
      return;
    }
    let opened = 0;
    this.#ws = ws;
    this.#set('connecting');
    ws.onopen = () => {
      if (ws !== this.#ws) return;
      opened = Date.now();
      this.#set('live');
    };
    ws.onmessage = (event) => {
      if (ws !== this.#ws) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.#frame(frame, ws);
    };
    ws.onclose = (event) => {
      if (ws !== this.#ws) return;
      this.#ws = null;
      this.#closed(event, opened);
    };
  }

  #frame(frame, ws) {
    switch (frame && frame.type) {
      case 'tweet':
        if (frame.tweet && isId(frame.tweet.id)) this.opts.onTweet(frame.tweet);
        this.#advance(frame.cursor);
        break;
      case 'delete':
        if (isId(String(frame.id))) this.opts.onDelete(String(frame.id));
        this.#advance(frame.cursor);
        break;
      case 'caught-up':
        this.#attempt = 0;
        this.#resets = 0;
        this.#advance(frame.cursor);
        break;
      case 'reset':
        this.#ws = null;
        ws.close(1000, 'reset');
        this.#reset();
        break;
      default:
        break;
    }
  }

  async #reset() {
    this.#set('connecting', 'reloading');
    this.#resets += 1;
    let ok = false;
    try {
      const cursor = await this.opts.onReset();
      this.cursor = isCursor(cursor) ? cursor : null;
      ok = true;
    } catch {
      ok = false;
    }
    if (this.#stopped || this.#ws || this.#timer) return;
    if (ok && this.#resets <= 1) this.#open();
    else this.#schedule();
  }

  #closed(event, opened) {
    if (this.#stopped) return;
    if (event.code === 1008) {
      this.stop();
      this.opts.onAuthLost();
      return;
    }
    if (!opened) this.opts.verify?.(); // a refused upgrade (401) looks like 1006 to a browser
    else if (Date.now() - opened > 30000) this.#attempt = 0;
    this.#schedule();
  }

  #schedule() {
    clearTimeout(this.#timer);
    if (this.#stopped) return;
    const delay = Math.max(backoffDelay(this.#attempt), this.#holdUntil - Date.now());
    this.#attempt += 1;
    this.#set('offline', `reconnecting in ${Math.ceil(delay / 1000)}s`);
    this.#timer = setTimeout(() => this.#open(), delay);
  }
}
