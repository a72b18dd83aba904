// megalodon 10 against Flock: register, sign in through the form, post, page the home timeline through Link, follow,
// receive the followed account's status and its deletion over the user stream (token in the access_token query) and
// over server-sent events (Node's fetch; megalodon has no client for them).
import assert from 'node:assert/strict';
import megalodon from 'megalodon';
import { BASE, REDIRECT, authorizeThroughForm, eventually, openEventStream, run, signIn, signUp, untilLive } from './flock.mjs';

const generator = megalodon.default;

/** rel to URL, from a Link header. */
function links(header) {
  const found = {};
  for (const [, url, rel] of (header ?? '').matchAll(/<([^>]+)>;\s*rel="([^"]+)"/g)) {
    found[rel] = new URL(url);
  }
  return found;
}

await run('megalodon', async () => {
  const reader = await signUp('megalodon');
  const author = await signUp('megaauthor');

  const anonymous = generator('mastodon', BASE);
  const app = await anonymous.registerApp('megalodon test', { scopes: ['read', 'write', 'follow'], redirect_uris: REDIRECT });
  assert.ok(app.client_id && app.client_secret && app.url, 'the app has credentials and an authorize URL');
  const code = await authorizeThroughForm(app.url, reader);
  const token = await anonymous.fetchAccessToken(app.client_id, app.client_secret, code, REDIRECT);
  assert.equal(token.token_type, 'Bearer');

  const client = generator('mastodon', BASE, token.access_token);
  const me = await client.verifyAccountCredentials();
  assert.equal(me.data.id, reader.id);
  const instance = await client.getInstance();
  assert.match(instance.data.urls.streaming_api, /^ws:\/\//);

  const posted = [];
  for (let i = 0; i < 5; i++) {
    const status = await client.postStatus(`megalodon post ${i}`);
    assert.equal(status.data.account.id, reader.id);
    posted.push(status.data.id);
  }
  const newestFirst = [...posted].reverse();

  await eventually('the home timeline pages through every post', async () => {
    const seen = [];
    let page = await client.getHomeTimeline({ limit: 2 });
    let prev = links(page.headers.link).prev;
    assert.equal(prev.searchParams.get('min_id'), page.data[0].id);
    for (;;) {
      seen.push(...page.data.map((s) => s.id));
      const next = links(page.headers.link).next;
      if (!next) {
        break;
      }
      page = await client.getHomeTimeline({ limit: 2, max_id: next.searchParams.get('max_id') });
    }
    assert.deepEqual(seen, newestFirst);
  });

  const followed = await client.followAccount(author.id);
  assert.equal(followed.data.following, true);
  const relationships = await client.getRelationships([author.id]);
  assert.equal(relationships.data[0].following, true);

  const byAuthor = generator('mastodon', BASE, await signIn(author));
  const probe = async () => (await client.postStatus('megalodon probe')).data.id;

  // megalodon connects to the instance's streaming URL with stream=user&access_token=... in the query.
  const stream = await client.userStreaming();
  const updates = [];
  const deletes = [];
  stream.on('update', (status) => updates.push(status));
  stream.on('delete', (id) => deletes.push(id));
  stream.on('parser-error', (error) => console.error('megalodon could not parse a message:', error));
  await untilLive(probe, () => updates.map((s) => s.id));
  const streamed = (await byAuthor.postStatus('streamed to megalodon')).data;
  await eventually('the update event arrives', async () => assert.ok(updates.some((s) => s.id === streamed.id)));
  const update = updates.find((s) => s.id === streamed.id);
  assert.equal(update.account.id, author.id);
  assert.equal(update.content, '<p>streamed to megalodon</p>');
  await byAuthor.deleteStatus(streamed.id);
  await eventually('the delete event arrives', async () => assert.ok(deletes.includes(streamed.id)));
  assert.equal(updates.filter((s) => s.id === streamed.id).length, 1, 'the update came once');
  stream.stop();

  // The fallback for networks that block WebSockets: the same events as server-sent events.
  const sse = await openEventStream(`${BASE}/api/v1/streaming/user`, token.access_token);
  const sseUpdates = () => sse.events.filter((e) => e.event === 'update').map((e) => JSON.parse(e.data));
  await untilLive(probe, () => sseUpdates().map((s) => s.id));
  const overSse = (await byAuthor.postStatus('streamed as server-sent events')).data;
  await eventually('the update event arrives over SSE', async () => assert.ok(sseUpdates().some((s) => s.id === overSse.id)));
  assert.equal(sseUpdates().find((s) => s.id === overSse.id).account.username, author.username);
  await byAuthor.deleteStatus(overSse.id);
  await eventually('the delete event arrives over SSE', async () =>
    assert.ok(sse.events.some((e) => e.event === 'delete' && e.data === overSse.id)));
  await sse.close();

  const deleted = await client.deleteStatus(posted[0]);
  assert.equal(deleted.data.id, posted[0]);

  await anonymous.revokeToken(app.client_id, app.client_secret, token.access_token);
  await assert.rejects(client.verifyAccountCredentials(), (error) => error.response?.status === 401);
});
