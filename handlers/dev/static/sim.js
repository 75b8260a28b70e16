// The simulator's phone: shows the chosen person's chat, sends what they
// type, the photos they pick and the menu clicks, and asks the server
// every second for what came since. Text from the server is only ever
// put in the page as text nodes.
(function () {
  'use strict';

  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var person = document.body.dataset.person || '';
  var chat = document.getElementById('chat');
  var typing = document.getElementById('typing');
  var note = document.getElementById('note');
  var last = 0;
  var lastTime = '';
  var pending = 0;

  setupFilter();
  if (!person) {
    return;
  }
  setupComposer();
  poll();

  // post sends a form to the simulator with the CSRF token, then asks
  // for the new messages at once.
  function post(url, body) {
    pending++;
    typing.hidden = false;
    note.textContent = '';
    return fetch(url, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf }
    }).then(function (r) {
      if (r.ok) {
        return;
      }
      return r.json().catch(function () { return {}; }).then(function (j) {
        throw new Error(j.error || '发送失败（HTTP ' + r.status + '）');
      });
    }).catch(function (err) {
      note.textContent = err.message;
    }).finally(function () {
      pending--;
      typing.hidden = pending === 0;
      fetchMessages();
    });
  }

  function form(fields) {
    var p = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { p.append(k, fields[k]); });
    return p;
  }

  function setupComposer() {
    var text = document.getElementById('text');
    document.getElementById('composer').addEventListener('submit', function (e) {
      e.preventDefault();
      var v = text.value.trim();
      if (!v) {
        return;
      }
      text.value = '';
      post('/dev/api/say', form({ text: v }));
    });
    document.getElementById('photo').addEventListener('change', function (e) {
      var file = e.target.files[0];
      if (!file) {
        return;
      }
      var fd = new FormData();
      fd.append('photo', file);
      e.target.value = '';
      post('/dev/api/photo', fd);
    });
    document.querySelectorAll('.menu-btn').forEach(function (b) {
      b.addEventListener('click', function () {
        post('/dev/api/click', form({ key: b.dataset.key }));
      });
    });
    var bind = document.getElementById('bind-example');
    if (bind) {
      bind.addEventListener('click', function () {
        bind.disabled = true;
        post('/dev/api/bind', form({})).finally(function () { bind.disabled = false; });
      });
    }
  }

  function setupFilter() {
    var filter = document.getElementById('filter');
    if (!filter) {
      return;
    }
    filter.addEventListener('input', function () {
      var q = filter.value.trim().toLowerCase();
      document.querySelectorAll('.person').forEach(function (li) {
        li.hidden = q !== '' && li.dataset.search.toLowerCase().indexOf(q) < 0;
      });
    });
  }

  function poll() {
    fetchMessages().finally(function () { setTimeout(poll, 1000); });
  }

  function fetchMessages() {
    return fetch('/dev/api/messages?after=' + last, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (a) {
        a.messages.forEach(function (m) {
          if (m.seq > last) {
            show(m);
            last = m.seq;
          }
        });
        showBound(a.bound);
      })
      .catch(function () { /* the next poll tries again */ });
  }

  function showBound(bound) {
    var state = document.getElementById('bound');
    if (state) {
      state.textContent = bound ? '已绑定' : '未绑定';
      state.classList.toggle('yes', !!bound);
    }
    var bind = document.getElementById('bind-example');
    if (bind) {
      bind.hidden = !!bound;
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  // show adds one message to the chat and scrolls to it.
  function show(m) {
    var empty = chat.querySelector('.empty');
    if (empty) {
      empty.remove();
    }
    if (m.time !== lastTime) {
      chat.appendChild(el('div', 'time', m.time));
      lastTime = m.time;
    }
    if (m.kind === 'event') {
      var n = el('div', 'note');
      n.appendChild(el('span', '', '你' + textOf(m)));
      chat.appendChild(n);
    } else {
      var row = el('div', 'msg ' + (m.mine ? 'mine' : 'theirs') + ' kind-' + m.kind);
      row.appendChild(el('div', 'avatar', m.mine ? '我' : '学务'));
      row.appendChild(body(m));
      chat.appendChild(row);
    }
    chat.scrollTop = chat.scrollHeight;
  }

  function textOf(m) {
    return (m.parts || []).map(function (p) { return p.text; }).join('');
  }

  function body(m) {
    if (m.kind === 'card') {
      return card(m.card);
    }
    if (m.kind === 'photo') {
      var b = el('div', 'bubble photo');
      var img = el('img');
      img.src = m.photo;
      img.alt = '照片';
      img.addEventListener('load', function () { chat.scrollTop = chat.scrollHeight; });
      b.appendChild(img);
      return b;
    }
    var t = el('div', 'bubble');
    (m.parts || []).forEach(function (p) {
      if (p.href) {
        var a = el('a', '', p.text);
        a.href = p.href;
        a.target = '_blank';
        a.rel = 'noopener';
        t.appendChild(a);
      } else {
        t.appendChild(document.createTextNode(p.text));
      }
    });
    return t;
  }

  function card(c) {
    var box = el(c.href ? 'a' : 'div', 'card');
    if (c.href) {
      box.href = c.href;
      box.target = '_blank';
      box.rel = 'noopener';
    }
    box.appendChild(el('div', 'card-title', c.title));
    (c.lines || []).forEach(function (l) { box.appendChild(el('div', 'card-line', l)); });
    if (c.remark) {
      box.appendChild(el('div', 'card-remark', c.remark));
    }
    if (c.href) {
      var more = el('div', 'card-more');
      more.appendChild(el('span', '', '详情'));
      more.appendChild(el('span', '', '›'));
      box.appendChild(more);
    }
    return box;
  }
})();
