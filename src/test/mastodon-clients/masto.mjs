// masto.js 7 against Flock: register, sign in through the form, post, page the home timeline through Link, follow,
// receive the followed account's status and its deletion over the user stream (token as the WebSocket subprotocol).
import assert from 'node:assert/strict';
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from 'masto';
import { BASE, REDIRECT, authorizeThroughForm, eventually, run, signIn, signUp, untilLive } from './flock.mjs';

await run('masto', async () => {
  const reader = await signUp('masto');
  const author = await signUp('mastoauthor');

  const anonymous = createRestAPIClient({ url: BASE });
  const app = await anonymous.v1.apps.create({ clientName: 'masto test', redirectUris: REDIRECT, scopes: 'read write follow' });
  assert.ok(app.clientId && app.clientSecret, 'the app has credentials');

  const authorize = new URL('/oauth/authorize', BASE);
  authorize.search = new URLSearchParams({
    response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: 'read write follow', state: 'masto',
  }).toString();
  const code = await authorizeThroughForm(authorize.href, reader);
  const oauth = createOAuthAPIClient({ url: BASE });
  const token = await oauth.token.create({
    grantType: 'authorization_code', clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: REDIRECT, code,
    scope: 'read write follow',
  });
  assert.equal(token.tokenType, 'Bearer');

  const masto = createRestAPIClient({ url: BASE, accessToken: token.accessToken });
  const me = await masto.v1.accounts.verifyCredentials();
  assert.equal(me.id, reader.id);
  assert.equal(me.acct, reader.username);

  const instance = await masto.v2.instance.fetch();
  assert.equal(instance.configuration.statuses.maxCharacters, 280);
  assert.match(instance.configuration.urls.streaming, /^ws:\/\//);

  const posted = [];
  for (let i = 0; i < 5; i++) {
    const status = await masto.v1.statuses.create({ status: `masto post ${i} <&>` });
    assert.equal(status.account.id, reader.id);
    assert.equal(status.content, `<p>masto post ${i} &lt;&amp;&gt;</p>`);
    posted.push(status.id);
  }
  const newestFirst = [...posted].reverse();

  // The paginator follows the Link header's next page until there is none.
  await eventually('the home timeline pages through every post', async () => {
    const seen = [];
    let pages = 0;
    for await (const page of masto.v1.timelines.home.list({ limit: 2 })) {
      pages += 1;
      seen.push(...page.map((s) => s.id));
    }
    assert.deepEqual(seen, newestFirst);
    assert.equal(pages, 3);
  });

  const relationship = await masto.v1.accounts.$select(author.id).follow();
  assert.equal(relationship.following, true);
  const [again] = await masto.v1.accounts.relationships.fetch({ id: [author.id] });
  assert.equal(again.following, true);
  const found = await masto.v1.accounts.lookup({ acct: author.username });
  assert.equal(found.id, author.id);

  // masto offers the token as the WebSocket subprotocol and subscribes with a message; the ws library aborts the
  // handshake unless the 101 echoes that subprotocol.
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming, accessToken: token.accessToken, retry: false,
  });
  const events = [];
  const subscription = streaming.user.subscribe();
  const reading = (async () => {
    for await (const event of subscription) {
      events.push(event);
    }
  })().catch(() => {});
  const updated = () => events.filter((e) => e.event === 'update').map((e) => e.payload.id);
  await untilLive(async () => (await masto.v1.statuses.create({ status: 'masto probe' })).id, updated);
  const byAuthor = createRestAPIClient({ url: BASE, accessToken: await signIn(author) });
  const streamed = await byAuthor.v1.statuses.create({ status: 'streamed to masto' });
  await eventually('the update event arrives', async () => assert.ok(updated().includes(streamed.id)));
  const update = events.find((e) => e.event === 'update' && e.payload.id === streamed.id);
  assert.deepEqual(update.stream, ['user']);
  assert.equal(update.payload.account.id, author.id);
  assert.equal(update.payload.content, '<p>streamed to masto</p>');
  await byAuthor.v1.statuses.$select(streamed.id).remove();
  await eventually('the delete event arrives', async () =>
    assert.ok(events.some((e) => e.event === 'delete' && e.payload === streamed.id)));
  assert.equal(updated().filter((id) => id === streamed.id).length, 1, 'the update came once');
  subscription.unsubscribe();
  streaming.close();
  await reading;

  const deleted = await masto.v1.statuses.$select(posted[0]).remove();
  assert.equal(deleted.text, 'masto post 0 <&>');

  await oauth.revoke({ clientId: app.clientId, clientSecret: app.clientSecret, token: token.accessToken });
  await assert.rejects(masto.v1.accounts.verifyCredentials(), (error) => error.statusCode === 401);
});
