// The embeddable chat widget, served as /widget.js. A tenant pastes one tag on their site:
//   <script src="https://switchboard.example.com/widget.js" data-key="wk_..." data-title="Chat with us" async></script>
// Plain ES2017, no dependencies, no cookies: the session token lives in the visitor's localStorage.
export const WIDGET_SCRIPT = String.raw`(function () {
  var script = document.currentScript;
  if (!script || !script.dataset.key) { console.error('Switchboard chat: add data-key="wk_..." to the script tag'); return; }
  var key = script.dataset.key, api = new URL(script.src).origin + '/api/v1/web-chat', store = 'sb-chat-' + key;
  var title = script.dataset.title || 'Chat with us', color = script.dataset.color || '#2563eb';
  var state = JSON.parse(localStorage.getItem(store) || '{}'), lastSeq = 0, timer = null, seen = {};
  var root = document.createElement('div');
  root.setAttribute('data-switchboard-chat', '');
  root.innerHTML = '<button type="button" class="sb-open" aria-label="' + title + '">💬</button>' +
    '<section class="sb-panel" hidden role="dialog" aria-label="' + title + '"><header>' + title + '<button type="button" class="sb-close" aria-label="Close">×</button></header>' +
    '<ol class="sb-log" aria-live="polite"></ol><form class="sb-form"><input name="text" autocomplete="off" maxlength="2000" placeholder="Type a message…" aria-label="Message">' +
    '<button type="submit">Send</button></form><p class="sb-error" hidden></p></section>';
  var css = document.createElement('style');
  css.textContent = '[data-switchboard-chat]{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif}' +
    '[data-switchboard-chat] .sb-open{width:56px;height:56px;border-radius:50%;border:0;background:' + color + ';color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '[data-switchboard-chat] .sb-panel{width:320px;max-width:calc(100vw - 40px);height:440px;display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}' +
    '[data-switchboard-chat] .sb-panel[hidden]{display:none}[data-switchboard-chat] header{background:' + color + ';color:#fff;padding:10px 12px;font-weight:600;display:flex;justify-content:space-between}' +
    '[data-switchboard-chat] .sb-close{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}[data-switchboard-chat] .sb-log{flex:1;overflow:auto;margin:0;padding:10px;list-style:none}' +
    '[data-switchboard-chat] .sb-log li{margin:6px 0;padding:8px 10px;border-radius:10px;max-width:85%;white-space:pre-wrap;word-wrap:break-word}' +
    '[data-switchboard-chat] .sb-visitor{background:' + color + ';color:#fff;margin-left:auto!important}[data-switchboard-chat] .sb-business{background:#f1f5f9;color:#0f172a}' +
    '[data-switchboard-chat] .sb-form{display:flex;border-top:1px solid #e2e8f0}[data-switchboard-chat] .sb-form input{flex:1;border:0;padding:12px;font:inherit}' +
    '[data-switchboard-chat] .sb-form button{border:0;background:none;color:' + color + ';font-weight:600;padding:0 14px;cursor:pointer}[data-switchboard-chat] .sb-error{color:#b91c1c;margin:0;padding:4px 10px}';
  document.head.appendChild(css);
  document.body.appendChild(root);
  var panel = root.querySelector('.sb-panel'), log = root.querySelector('.sb-log'), form = root.querySelector('.sb-form'), error = root.querySelector('.sb-error');
  function post(path, body) {
    return fetch(api + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) { if (!res.ok) { var e = new Error((json.error && json.error.message) || 'Chat unavailable'); e.status = res.status; throw e; } return json; });
    });
  }
  function show(line) {
    if (seen[line.id]) return; seen[line.id] = true;
    var li = document.createElement('li'); li.className = 'sb-' + line.from; li.textContent = line.text; log.appendChild(li); log.scrollTop = log.scrollHeight;
    if (line.seq > lastSeq) lastSeq = line.seq;
  }
  function fail(err) { error.textContent = err.message; error.hidden = false; }
  function session() {
    if (state.token) return Promise.resolve(state.token);
    return post('/' + encodeURIComponent(key) + '/sessions', {}).then(function (s) { state = { token: s.sessionToken }; localStorage.setItem(store, JSON.stringify(state)); return s.sessionToken; });
  }
  function poll() {
    if (!state.token) return;
    post('/history', { sessionToken: state.token, afterSeq: lastSeq }).then(function (r) { error.hidden = true; r.messages.forEach(show); if (r.failure) fail(r.failure); }).catch(function (err) {
      if (err.status === 401) { state = {}; localStorage.removeItem(store); } else fail(err);
    });
  }
  root.querySelector('.sb-open').addEventListener('click', function () {
    panel.hidden = !panel.hidden;
    if (!panel.hidden) { form.text.focus(); poll(); if (!timer) timer = setInterval(poll, 2000); }
  });
  root.querySelector('.sb-close').addEventListener('click', function () { panel.hidden = true; });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = form.text.value.trim(); if (!text) return;
    form.text.value = '';
    var clientMessageId = 'm' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    session().then(function (token) { return post('/messages', { sessionToken: token, text: text, clientMessageId: clientMessageId }); })
      .then(function (line) { error.hidden = true; show(line); setTimeout(poll, 1500); }).catch(fail);
  });
})();
`;
