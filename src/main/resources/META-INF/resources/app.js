// Flock web app: auth, compose, home timeline (REST, then live over the WebSocket), account panel.
import { Api, ApiError, onUnauthorized, setToken } from './api.js';
import { LiveStream, isId } from './stream.js';
import { h, avatar, codePoints, insertSorted, refreshTimes, renderTweet } from './ui.js';

const MAX_CHARS = 280;
const SESSION_KEY = 'flock.session';
const $ = (id) => document.getElementById(id);

let session = null;        // { token, expiresAt, account }
let stream = null;
let homeNext = null;
const timeline = new Map(); // tweet id -> <article>
const deleted = new Set();
let draftKey = null;
let view = null;            // the account shown in the side panel: { account, following, next, tweets: Map }


let messageTimer = null;
function showMessage(what, kind = 'error') {
  const box = $('message');
  clearTimeout(messageTimer);
  const api = what instanceof ApiError;
  box.replaceChildren(h('p', {}, api ? what.detail || what.title || what.message : String(what)),
    api && what.fieldErrors.length ? h('ul', {}, what.fieldErrors.map((e) => h('li', {}, `${e.field}: ${e.message}`))) : '',
    h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: hideMessage }, '×'));
  box.dataset.kind = kind;
  box.hidden = false;
  if (kind !== 'error') messageTimer = setTimeout(hideMessage, 4000);
}
function hideMessage() { $('message').hidden = true; }

function markFields(form, err) {
  for (const el of form.elements) el.removeAttribute('aria-invalid');
  for (const e of err?.fieldErrors || []) form.elements.namedItem(e.field)?.setAttribute('aria-invalid', 'true');
}

async function busy(button, fn) {
  button.disabled = true;
  try { return await fn(); } finally { button.disabled = false; }
}


function saveSession(s) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(s)); }
function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (s && s.token && s.account && (!s.expiresAt || Date.parse(s.expiresAt) > Date.now())) return s;
  } catch { /* ignore */ }
  sessionStorage.removeItem(SESSION_KEY);
  return null;
}

async function signIn(username, password) {
  const s = await Api.signIn(username, password);
  enter({ token: s.token, expiresAt: s.expiresAt, account: s.account });
}

function enter(s) {
  session = s;
  saveSession(s);
  setToken(s.token);
  hideMessage();
  $('auth-view').hidden = true;
  $('app-view').hidden = false;
  $('signout').hidden = false;
  renderWhoami();
  stream = new LiveStream({
    token: s.token,
    onTweet: (t) => { addTweet(t, true); addToPanel(t); },
    onDelete: removeTweet,
    onReset: loadHome,
    onAuthLost: () => signOut('Your session ended (expired or revoked). Please sign in again.'),
    onState: setConnection,
    verify: () => Api.me().catch(() => {}),
  });
  const st = stream;
  loadHome()
    .then((cursor) => { if (stream === st) st.start(cursor); })
    .catch((e) => { if (stream === st) { showMessage(e); st.start(null); } });
  route();
}

function signOut(reason) {
  if (stream) stream.stop();
  stream = null;
  session = null;
  setToken(null);
  sessionStorage.removeItem(SESSION_KEY);
  timeline.clear();
  deleted.clear();
  $('timeline').replaceChildren();
  $('account').hidden = true;
  $('account').replaceChildren();
  view = null;
  for (const id of ['app-view', 'signout', 'whoami']) $(id).hidden = true;
  $('auth-view').hidden = false;
  setConnection('offline');
  for (const f of [$('signin-form'), $('signup-form')]) f.reset();
  if (reason) showMessage(reason, 'error'); else hideMessage();
}

function renderWhoami() {
  const a = session.account;
  const who = $('whoami');
  who.replaceChildren(avatar(a, 'small'),
    h('a', { href: `#/@${encodeURIComponent(a.username)}`, class: 'whoami-name' }, a.displayName || a.username));
  who.hidden = false;
}

function setConnection(state, detail = '') {
  const pill = $('connection');
  pill.dataset.state = state;
  pill.querySelector('.pill-label').textContent = state;
  pill.title = `Live stream: ${state}${detail ? ` (${detail})` : ''}`;
}


const isOwn = (t) => session && t.author && String(t.author.id) === String(session.account.id);

function addTweet(t, live = false) {
  if (!t || !isId(t.id) || timeline.has(t.id) || deleted.has(t.id)) return;
  const el = renderTweet(t, { own: isOwn(t), onDelete: deleteTweet });
  el.authorId = String(t.author?.id);
  if (live) el.classList.add('fresh');
  insertSorted($('timeline'), el, t.id);
  timeline.set(t.id, el);
  updateEmpty();
}

function removeTweet(id) {
  if (deleted.size > 9999) deleted.clear();
  deleted.add(id);
  timeline.get(id)?.remove();
  timeline.delete(id);
  if (view) { view.tweets.get(id)?.remove(); view.tweets.delete(id); }
  updateEmpty();
}

function updateEmpty() {
  $('timeline-empty').hidden = timeline.size > 0;
}

function setOlder(next) {
  homeNext = next && isId(String(next)) ? String(next) : null;
  $('load-older').hidden = !homeNext;
}

/**
 * Replaces the timeline with its first page; resolves to the page's streamCursor, from which the stream sends exactly
 * what came after the page.
 */
async function loadHome() {
  const page = await Api.home();
  timeline.clear();
  $('timeline').replaceChildren();
  for (const t of page.items || []) addTweet(t);
  setOlder(page.next);
  updateEmpty();
  return page.streamCursor || null;
}

/** Adds the first page to what is shown (after a follow), without touching the stream position. */
async function mergeHome() {
  const page = await Api.home();
  for (const t of page.items || []) addTweet(t);
  if (!homeNext) setOlder(page.next);
}

async function loadOlder() {
  if (!homeNext) return;
  const page = await Api.home(homeNext);
  for (const t of page.items || []) addTweet(t);
  setOlder(page.next);
}

async function deleteTweet(tweet, button) {
  button.disabled = true;
  try {
    await Api.remove(tweet.id);
    removeTweet(tweet.id);
    showMessage('Tweet deleted.', 'info');
  } catch (e) {
    if (e.status === 404) removeTweet(tweet.id);
    else { button.disabled = false; showMessage(e); }
  }
}


function randomKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

let posting = false;
function updateCounter() {
  const n = codePoints($('compose').value);
  const c = $('counter');
  c.textContent = `${n}/${MAX_CHARS}`;
  c.dataset.count = n;
  c.classList.toggle('warn', n > MAX_CHARS - 20 && n <= MAX_CHARS);
  c.classList.toggle('over', n > MAX_CHARS);
  $('post-button').disabled = posting || n === 0 || n > MAX_CHARS;
}

async function post(e) {
  e.preventDefault();
  const box = $('compose');
  const raw = box.value;
  const text = raw.normalize('NFC').trim();
  const n = [...text].length;
  if (posting || n === 0 || n > MAX_CHARS) return;
  draftKey ||= randomKey(); // the same key for retries of this draft: the server answers with the first tweet
  posting = true;
  updateCounter();
  $('post-button').textContent = 'Posting…';
  try {
    const tweet = await Api.post(text, draftKey);
    if (box.value === raw) { draftKey = null; box.value = ''; }
    addTweet(tweet, true);
    addToPanel(tweet);
    hideMessage();
  } catch (err) {
    showMessage(err);
  } finally {
    posting = false;
    $('post-button').textContent = 'Post';
    updateCounter();
  }
}


const USERNAME = /^[A-Za-z0-9_]{1,30}$/;

function route() {
  if (!session) return;
  const m = /^#\/@(.+)$/.exec(location.hash);
  if (!m) {
    if (location.hash === '#/' && view) closeAccount();
    return;
  }
  let name;
  try { name = decodeURIComponent(m[1]); } catch { return; }
  if (USERNAME.test(name) && (!view || view.account.username.toLowerCase() !== name.toLowerCase())) openAccount(name);
}

async function followsAccount(me, target) {
  // No "am I following" call in the API: page the shorter of my following list and their followers list.
  const viaMine = me.followingCount <= target.followersCount;
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    const page = await (viaMine ? Api.people(me.username, 'following', cursor) : Api.people(target.username, 'followers', cursor));
    const want = viaMine ? String(target.id) : String(me.id);
    if ((page.items || []).some((a) => String(a.id) === want)) return true;
    if (!page.next) return false;
    cursor = page.next;
  }
  return false;
}

function stat(label, value, key) {
  return h('li', {}, h('strong', { 'data-stat': key }, String(value ?? 0)), ` ${label}`);
}

async function openAccount(username) {
  const panel = $('account');
  let account;
  try {
    account = await Api.account(username);
  } catch (e) {
    showMessage(e.status === 404 ? `No account named @${username}.` : e);
    return;
  }
  const me = session.account;
  const isMe = String(account.id) === String(me.id);
  view = { account, following: false, next: null, tweets: new Map() };
  const current = view;
  const follow = h('button', { id: 'follow-button', type: 'button', class: 'button primary', hidden: true,
    onclick: () => toggleFollow(current, follow) }, 'Follow');
  const joined = new Date(Date.parse(account.createdAt));
  const list = h('div', { id: 'account-tweets', class: 'list' });
  const older = h('button', { id: 'account-older', type: 'button', class: 'button wide', hidden: true,
    onclick: () => busy(older, () => accountTweets(current, list, older)).catch(showMessage) }, 'Load older');
  panel.replaceChildren(...[
    h('button', { type: 'button', class: 'close', 'aria-label': 'Close', onclick: closeAccount }, '×'),
    h('div', { class: 'account-head' }, avatar(account, 'large'),
      h('div', { class: 'account-names' },
        h('h2', { id: 'account-name' }, account.displayName || account.username),
        h('span', { class: 'handle', id: 'account-username' }, `@${account.username}`)),
      isMe ? h('span', { class: 'badge' }, 'You') : follow),
    account.bio ? h('p', { class: 'bio', id: 'account-bio' }, account.bio) : null,
    h('ul', { class: 'stats' }, stat('tweets', account.tweetsCount, 'tweets'), stat('following', account.followingCount, 'following'),
      stat('followers', account.followersCount, 'followers')),
    Number.isNaN(joined.getTime()) ? null
      : h('p', { class: 'joined' }, `Joined ${joined.toLocaleDateString(undefined, { month: 'long', year: 'numeric' })}`),
    h('h3', {}, 'Tweets'),
    list, older].filter(Boolean));
  panel.hidden = false;
  if (location.hash !== `#/@${encodeURIComponent(account.username)}`) history.replaceState(null, '', `#/@${encodeURIComponent(account.username)}`);
  if (!isMe) {
    followsAccount(me, account).then((yes) => {
      if (view !== current) return;
      setFollowing(current, follow, yes);
      follow.hidden = false;
    }).catch(showMessage);
  }
  accountTweets(current, list, older).catch(showMessage);
}

function addToPanel(t, current = view, live = true) {
  const list = $('account-tweets');
  if (!current || !list || !isId(t.id) || String(t.author?.id) !== String(current.account.id)
    || current.tweets.has(t.id) || deleted.has(t.id)) return;
  if (!current.tweets.size) list.replaceChildren();
  const el = renderTweet(t, { cls: 'account-tweet' });
  if (live) el.classList.add('fresh');
  insertSorted(list, el, t.id);
  current.tweets.set(t.id, el);
}

async function accountTweets(current, list, older) {
  const page = await Api.tweetsOf(current.account.username, current.next);
  if (view !== current) return;
  for (const t of page.items || []) addToPanel(t, current, false);
  if (!current.tweets.size) list.replaceChildren(h('p', { class: 'empty' }, 'No tweets yet.'));
  current.next = page.next && isId(String(page.next)) ? String(page.next) : null;
  older.hidden = !current.next;
}

function setFollowing(current, button, yes) {
  current.following = yes;
  button.textContent = yes ? 'Unfollow' : 'Follow';
  button.dataset.following = String(yes);
  button.classList.toggle('primary', !yes);
}

async function toggleFollow(current, button) {
  const name = current.account.username;
  const want = !current.following;
  await busy(button, async () => {
    try {
      await (want ? Api.follow(name) : Api.unfollow(name));
    } catch (e) {
      showMessage(e);
      return;
    }
    setFollowing(current, button, want);
    showMessage(want ? `You follow @${name}. Their new tweets will appear live.` : `You unfollowed @${name}.`, 'info');
    const count = $('account').querySelector('[data-stat="followers"]');
    if (view === current && count) count.textContent = String(Math.max(0, +count.textContent + (want ? 1 : -1)));
    if (want) mergeHome().catch(() => {});
    else for (const [id, el] of timeline) {
      if (el.authorId === String(current.account.id)) { el.remove(); timeline.delete(id); }
    }
    updateEmpty();
  });
}

function closeAccount() {
  view = null;
  $('account').hidden = true;
  $('account').replaceChildren();
  history.replaceState(null, '', location.pathname + location.search);
}

function search(e) {
  e.preventDefault();
  const name = $('search').value.trim().replace(/^@/, '');
  if (!name) return;
  if (!USERNAME.test(name)) { showMessage('Usernames are 3 to 30 letters, digits or underscores.'); return; }
  view = null;
  openAccount(name);
}


const formValues = (form) => Object.fromEntries(new FormData(form));

function init() {
  onUnauthorized(() => { if (session) signOut('Your session has expired. Please sign in again.'); });

  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const { username, password } = formValues(form);
    busy(form.querySelector('button[type=submit]'), () => signIn(username.trim(), password))
      .catch((err) => { markFields(form, err); showMessage(err); });
  });

  $('signup-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    const body = { username: v.username.trim(), password: v.password };
    if (v.displayName?.trim()) body.displayName = v.displayName.trim();
    if (v.bio?.trim()) body.bio = v.bio.trim();
    busy(form.querySelector('button[type=submit]'), async () => {
      await Api.signUp(body);
      await signIn(body.username, body.password);
    }).catch((err) => { markFields(form, err); showMessage(err); });
  });

  for (const f of [$('signin-form'), $('signup-form')]) {
    f.addEventListener('input', (e) => e.target.removeAttribute('aria-invalid'));
  }

  $('signout').addEventListener('click', () => signOut());
  $('compose-form').addEventListener('submit', post);
  $('compose').addEventListener('input', () => { draftKey = null; updateCounter(); });
  $('compose').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('compose-form').requestSubmit();
  });
  $('load-older').addEventListener('click', (e) => busy(e.currentTarget, loadOlder).catch(showMessage));
  $('search-form').addEventListener('submit', search);
  addEventListener('hashchange', route);
  setInterval(refreshTimes, 30000);

  updateCounter();
  const s = loadSession();
  if (s) {
    enter(s);
    Api.me().then((a) => { if (session) { session.account = a; saveSession(session); renderWhoami(); } }).catch(() => {});
  } else {
    signOut();
  }
}

// Test hooks: flock.disconnect() cuts the socket and takes the normal reconnect path (optionally held offline).
window.flock = {
  disconnect: (holdMs = 0) => stream?.disconnect(holdMs),
  get state() { return stream ? stream.state : 'offline'; },
  get cursor() { return stream ? stream.cursor : null; },
};

init();
