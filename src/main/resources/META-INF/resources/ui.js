// DOM helpers. User text only ever goes through textContent / text nodes, never innerHTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const codePoints = (text) => [...text.normalize('NFC').trim()].length;

export function relativeTime(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.floor((now - t) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 7 * 86400) return `${Math.floor(s / 86400)}d`;
  return new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: s > 300 * 86400 ? 'numeric' : undefined });
}

export function refreshTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-rel]')) el.textContent = relativeTime(el.dateTime, now);
}

function hue(name) {
  let x = 0;
  for (const ch of name) x = (x * 31 + ch.codePointAt(0)) % 360;
  return x;
}

export function avatar(account, size = '') {
  const name = account.displayName || account.username || '?';
  const el = h('span', { class: `avatar ${size}`, 'aria-hidden': 'true' }, [...name.trim()][0]?.toUpperCase() || '?');
  el.style.setProperty('--hue', hue(account.username || name));
  return el;
}

export const accountHref = (username) => `#/@${encodeURIComponent(username)}`;

/** Tweet text with @mentions as links; the whole text stays literal (textContent equals the tweet text). */
function tweetText(text) {
  const p = h('p', { class: 'tweet-text' });
  const re = /(^|[^A-Za-z0-9_])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/g;
  let last = 0;
  for (let m; (m = re.exec(text));) {
    const at = m.index + m[1].length;
    p.append(text.slice(last, at), h('a', { href: accountHref(m[2]), class: 'mention' }, `@${m[2]}`));
    last = at + 1 + m[2].length;
  }
  p.append(text.slice(last));
  return p;
}

export function renderTweet(tweet, { own = false, onDelete, cls = 'tweet' } = {}) {
  const author = tweet.author || {};
  const created = new Date(Date.parse(tweet.createdAt));
  const time = h('time', { class: 'tweet-time', datetime: tweet.createdAt, 'data-rel': true,
    title: Number.isNaN(created.getTime()) ? '' : created.toLocaleString() }, relativeTime(tweet.createdAt));
  const head = h('header', { class: 'tweet-head' },
    h('a', { class: 'tweet-author', href: accountHref(author.username || '') },
      h('strong', { class: 'name' }, author.displayName || author.username),
      h('span', { class: 'handle' }, `@${author.username}`)),
    h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'),
    time);
  if (own && onDelete) {
    head.append(h('button', { type: 'button', class: 'delete', title: 'Delete tweet', 'aria-label': 'Delete tweet',
      onclick: (e) => onDelete(tweet, e.currentTarget) }, 'Delete'));
  }
  return h('article', { class: `${cls} post`, 'data-id': tweet.id, 'aria-label': `Tweet by @${author.username}` },
    avatar(author),
    h('div', { class: 'post-body' }, head, tweetText(String(tweet.text ?? ''))));
}

/** Inserts el into container keeping children ordered newest (largest id) first. */
export function insertSorted(container, el, id) {
  const big = BigInt(id);
  el.flockId = big;
  for (const child of container.children) {
    if (child.flockId !== undefined && child.flockId < big) {
      container.insertBefore(el, child);
      return;
    }
  }
  container.append(el);
}
