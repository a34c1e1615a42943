// The browser feed of package loginpage: evaluates, in a page or frame, to
// the JSON text of the document's Page (see snapshot.go). The config
// placeholder is replaced by the Go side's lists, so both feeds read the
// same attributes.
(() => {
  const cfg = /*CONFIG*/null;
  const maxElements = 20000;
  const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const enc = new TextEncoder();
  const bound = (s, n) => {
    if (enc.encode(s).length <= n) return s;
    let out = s.slice(0, n);
    while (enc.encode(out).length > n) out = out.slice(0, -1);
    return out;
  };
  const attr = (el, k) => el.getAttribute(k) || '';
  const tagOf = (el) => el.localName;
  const nativeTags = {input: 1, select: 1, textarea: 1, button: 1, a: 1};
  const isControl = (el) => nativeTags[tagOf(el)] === 1 || cfg.roles[(attr(el, 'role')).toLowerCase()] === true;

  // hiddenByMarkup is FromHTML's rule: what HTML alone shows.
  const hiddenByMarkup = (el) => {
    if (el.hasAttribute('hidden') || attr(el, 'aria-hidden').toLowerCase() === 'true') return true;
    if (tagOf(el) === 'input' && attr(el, 'type').toLowerCase() === 'hidden') return true;
    const style = attr(el, 'style').toLowerCase().replace(/ /g, '');
    return style.includes('display:none') || style.includes('visibility:hidden');
  };
  // textOf is FromHTML's text of a subtree (visible: without hidden ones).
  const textOf = (node, visible) => {
    let out = '';
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) out += c.data;
      else if (c.nodeType === Node.ELEMENT_NODE) {
        const t = tagOf(c);
        if (t === 'script' || t === 'style' || t === 'template' || (visible && hiddenByMarkup(c))) continue;
        out += textOf(c, visible);
        if (t === 'br' || t === 'p' || t === 'div' || t === 'li') out += ' ';
      }
    }
    return out;
  };
  // path is the structural selector: from the root down, the tag with
  // :nth-of-type when it has siblings of the same tag. Each parent's
  // children are counted once.
  const steps = new Map();
  const stepOf = (e) => {
    let s = steps.get(e);
    if (s !== undefined) return s;
    const parent = e.parentNode;
    const kids = parent ? Array.from(parent.children) : [e];
    const total = {}, seenSoFar = {};
    for (const k of kids) total[tagOf(k)] = (total[tagOf(k)] || 0) + 1;
    for (const k of kids) {
      const t = tagOf(k);
      seenSoFar[t] = (seenSoFar[t] || 0) + 1;
      steps.set(k, total[t] > 1 ? `${t}:nth-of-type(${seenSoFar[t]})` : t);
    }
    return steps.get(e);
  };
  const path = (el) => {
    const out = [];
    for (let e = el; e && e.nodeType === Node.ELEMENT_NODE; e = e.parentNode) out.unshift(stepOf(e));
    return out.join(' > ');
  };
  // visible is what layout says: rendered, at least 10 px both ways (a
  // checkbox or radio: any size), not off the page, not visibility:hidden,
  // opacity of it and its ancestors at least 0.1, no aria-hidden ancestor.
  const visible = (el) => {
    if (!el.isConnected || el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
    const r = el.getBoundingClientRect();
    const small = tagOf(el) === 'input' && (el.type === 'checkbox' || el.type === 'radio') ? r.width <= 0 || r.height <= 0 : r.width < 10 || r.height < 10;
    if (small) return false;
    if (r.right + scrollX < 0 || r.bottom + scrollY < 0) return false;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement || e.getRootNode().host) {
      opacity *= parseFloat(getComputedStyle(e).opacity || '1');
      if (attr(e, 'aria-hidden').toLowerCase() === 'true') return false;
    }
    return opacity >= 0.1;
  };
  const defaultType = (tag, typ) => typ || (tag === 'input' ? 'text' : tag === 'button' ? 'submit' : '');
  const byID = (id) => document.getElementById(id);
  const label = (el) => {
    const ids = attr(el, 'aria-labelledby').split(/\s+/).filter(Boolean);
    if (ids.length) {
      const s = collapse(ids.map((id) => { const l = byID(id); return l ? textOf(l, false) : ''; }).join(' '));
      if (s) return bound(s, 200);
    }
    const id = attr(el, 'id');
    if (id) {
      const l = document.querySelector(`label[for="${CSS.escape(id)}"]`);
      if (l) return bound(collapse(textOf(l, false)), 200);
    }
    const enclosing = el.parentElement && el.parentElement.closest('label');
    return enclosing ? bound(collapse(textOf(enclosing, false)), 200) : '';
  };
  const isMessage = (el) => {
    const role = attr(el, 'role').toLowerCase(), live = attr(el, 'aria-live').toLowerCase();
    const cls = (attr(el, 'class') + ' ' + attr(el, 'id')).toLowerCase();
    const marked = role === 'alert' || (role === 'status' && live !== '') || live === 'assertive' || live === 'polite' ||
      cfg.messageClasses.some((c) => cls.includes(c));
    if (!marked) return false;
    for (const d of el.querySelectorAll('*')) if (isControl(d)) return false;
    return true;
  };

  const forms = Array.from(document.querySelectorAll('form'));
  const ids = {};
  for (const e of document.querySelectorAll('[id]')) ids[e.id] = (ids[e.id] || 0) + 1;
  const page = {
    url: location.href, title: document.title,
    forms: forms.map((f) => {
      const attrs = {};
      for (const k of cfg.testAttrs) if (f.hasAttribute(k)) attrs[k] = attr(f, k);
      return {id: attr(f, 'id'), name: attr(f, 'name'), action: attr(f, 'action'), method: attr(f, 'method').toLowerCase(),
        class: attr(f, 'class'), attrs, visible: f.getClientRects().length > 0, path: path(f)};
    }),
    frames: [], controls: [], ids, messages: [], text: '',
  };

  let seen = 0;
  const control = (el, shadow) => {
    const tag = tagOf(el);
    const typ = defaultType(tag, attr(el, 'type').toLowerCase());
    const attrs = {};
    for (const k of cfg.testAttrs) if (el.hasAttribute(k)) attrs[k] = attr(el, k);
    if (el.hasAttribute('aria-controls')) attrs['aria-controls'] = attr(el, 'aria-controls');
    if (tag === 'a' && el.hasAttribute('href')) attrs.href = attr(el, 'href');
    const inner = Array.from(el.querySelectorAll('[data-se]')).slice(0, 20).map((d) => attr(d, 'data-se')).filter(Boolean).join(' ');
    if (inner) attrs['inner-data-se'] = inner;
    if (el.parentElement && el.parentElement.hasAttribute('data-se')) attrs['parent-data-se'] = attr(el.parentElement, 'data-se');
    let form = -1;
    const owner = el.form !== undefined ? el.form : el.closest('form');
    if (owner) form = forms.indexOf(owner);
    if (el.hasAttribute('form') && el.form === undefined) {
      const f = byID(attr(el, 'form'));
      form = f ? forms.indexOf(f) : -1;
    }
    const textLike = tag === 'textarea' || tag === 'select' ||
      (tag === 'input' && !['submit', 'button', 'reset', 'image', 'checkbox', 'radio'].includes(typ));
    const c = {
      tag, type: typ, id: attr(el, 'id'), name: attr(el, 'name'), autocomplete: attr(el, 'autocomplete').trim().toLowerCase(),
      placeholder: attr(el, 'placeholder'), ariaLabel: attr(el, 'aria-label'), label: label(el), text: '',
      value: textLike ? (el.value || '') : attr(el, 'value'), title: attr(el, 'title'), class: attr(el, 'class'),
      role: attr(el, 'role').toLowerCase(), attrs, form,
      visible: typ !== 'hidden' && visible(el),
      enabled: !(el.matches(':disabled') || el.hasAttribute('disabled')),
      readOnly: (tag === 'input' || tag === 'textarea') && el.readOnly === true,
      checked: tag === 'input' ? el.checked === true : (attr(el, 'role').toLowerCase() === 'checkbox' && attr(el, 'aria-checked') === 'true'),
      shadow, path: path(el),
    };
    if (tag === 'input' && ['submit', 'button', 'reset'].includes(typ)) c.text = bound(collapse(c.value), 200);
    else if (tag === 'input' && typ === 'image') c.text = bound(collapse(attr(el, 'alt')), 200);
    else if (!textLike && tag !== 'input') c.text = bound(collapse(textOf(el, true)), 200);
    return c;
  };

  let inMessage = null, links = 0;
  const walk = (root, shadow) => {
    for (const el of root.children) {
      if (++seen > maxElements) return;
      const tag = tagOf(el);
      if (tag === 'head' || tag === 'script' || tag === 'style' || tag === 'template' || tag === 'noscript') continue;
      if (tag === 'iframe' && visible(el)) {
        const id = attr(el, 'id');
        page.frames.push(id && ids[id] === 1 ? 'iframe' + (/^-?[A-Za-z_][A-Za-z0-9_-]*$/.test(id) ? '#' + id : `[id=${JSON.stringify(id)}]`)
          : el.hasAttribute('name') ? `iframe[name=${JSON.stringify(attr(el, 'name'))}]` : path(el));
      }
      let opened = false;
      if (!inMessage && isMessage(el) && el.getClientRects().length > 0) {
        const t = bound(collapse(el.innerText), 300);
        if (t && !page.messages.includes(t)) page.messages.push(t);
        inMessage = el; opened = true;
      }
      if (isControl(el) && page.controls.length < cfg.maxControls) {
        const link = tag === 'a' || attr(el, 'role').toLowerCase() === 'link';
        if (!link || links < cfg.maxLinks) page.controls.push(control(el, shadow));
        if (link) links++;
      }
      walk(el, shadow);
      if (el.shadowRoot) walk(el.shadowRoot, true);
      if (opened) inMessage = null;
    }
  };
  walk(document, false);
  page.text = bound(collapse(document.body ? document.body.innerText : ''), cfg.maxText);
  // Prototype.js-era pages give arrays a toJSON that double-encodes them
  const toJSON = Array.prototype.toJSON;
  if (toJSON) delete Array.prototype.toJSON;
  try { return JSON.stringify(page); } finally { if (toJSON) Array.prototype.toJSON = toJSON; }
})()
