// Steps shared by the client scripts: what a person does in a browser and Flock's own sign-up.
import assert from 'node:assert/strict';

export const BASE = process.env.FLOCK_URL;
if (!BASE) {
  throw new Error('FLOCK_URL must name the Flock under test, e.g. http://localhost:8080');
}
export const REDIRECT = 'https://client.example/callback';

let sequence = 0;

/** A username no other run uses. */
export function uniqueName(prefix) {
  sequence += 1;
  return `${prefix}_${Date.now().toString(36)}${sequence}`;
}

/** Each person signs in from an address of their own, so Flock's per-address sign-in limit stays out of the way. */
function randomAddress() {
  return `198.18.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
}

/** Signs up through Flock's own API (the Mastodon API has no sign-up here). */
export async function signUp(prefix) {
  const username = uniqueName(prefix);
  const password = `pw-${username}-secret`;
  const response = await fetch(`${BASE}/api/accounts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': randomAddress() },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(response.status, 201, `sign-up answered ${response.status}`);
  const account = await response.json();
  return { id: account.id, username, password };
}

/** Signs in through Flock's own API and answers the session token (which the Mastodon API accepts too). */
export async function signIn(account) {
  const response = await fetch(`${BASE}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': randomAddress() },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  assert.equal(response.status, 200, `sign-in answered ${response.status}`);
  return (await response.json()).token;
}

/**
 * Mastodon streams say nothing when they go live: posts probes of the reader's own (its user stream carries them)
 * until one arrives; from then on the stream is live. {@code postProbe} answers the id of a probe just posted,
 * {@code receivedIds} the ids of the statuses received so far.
 */
export async function untilLive(postProbe, receivedIds, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  const probes = [];
  for (;;) {
    probes.push(await postProbe());
    const waitUntil = Math.min(Date.now() + 1000, deadline);
    while (Date.now() < waitUntil) {
      if (receivedIds().some((id) => probes.includes(id))) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (Date.now() >= deadline) {
      throw new Error(`the stream delivered none of the probes ${probes.join(', ')}`);
    }
  }
}

/**
 * Reads a server-sent event stream with Node's fetch: answers the events received so far ({event, data}, as they
 * arrive) and a close function. Comment lines (Mastodon's ":)" and ":thump") are skipped.
 */
export async function openEventStream(url, token) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
    signal: controller.signal,
  });
  assert.equal(response.status, 200, `the event stream answered ${response.status}`);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const events = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = null;
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) {
            event = line.slice('event: '.length);
          } else if (line.startsWith('data: ')) {
            data.push(line.slice('data: '.length));
          }
        }
        if (event) {
          events.push({ event, data: data.join('\n') });
        }
      }
    }
  })().catch((error) => {
    if (error.name !== 'AbortError') {
      throw error;
    }
  });
  return {
    events,
    close: async () => {
      controller.abort();
      await reading;
    },
  };
}

/**
 * Opens the authorize URL, fills in the sign-in form and submits it as a browser would (every hidden field plus
 * username and password, form-encoded, to the form's action); answers the code from the redirect.
 */
export async function authorizeThroughForm(authorizeUrl, account) {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(page.status, 200, `the authorize page answered ${page.status}`);
  const html = await page.text();
  const form = html.match(/<form method="post" action="([^"]+)">/);
  assert.ok(form, 'the authorize page has a form');
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.append(name, unescape(value));
  }
  assert.ok(/name="username"/.test(html) && /name="password"/.test(html), 'the form asks for username and password');
  fields.append('username', account.username);
  fields.append('password', account.password);
  fields.append('decision', 'approve');
  const submitted = await fetch(new URL(form[1], authorizeUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': randomAddress() },
    body: fields.toString(),
  });
  assert.equal(submitted.status, 302, `the form submission answered ${submitted.status}`);
  const location = new URL(submitted.headers.get('location'));
  assert.ok(location.href.startsWith(REDIRECT), `redirected to ${location.href}`);
  return location.searchParams.get('code');
}

function unescape(html) {
  return html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

/** Retries a check until it passes or the time is up (the store consumer writes PostgreSQL a moment after a post). */
export async function eventually(what, check, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: ${error.message}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Runs a scenario and reports as the Java test expects: a last line "<name>: ok", exit code 0. */
export async function run(name, scenario) {
  try {
    await scenario();
    console.log(`${name}: ok`);
    process.exit(0);
  } catch (error) {
    console.error(`${name}: FAILED`);
    console.error(error);
    process.exit(1);
  }
}
