/* Cercles: small helpers without dependencies, loaded deferred on every page.
 *
 * 1. Drafts. What someone types in a form that posts is kept in localStorage (per page and
 *    form) until the post is known to have gone through, so that a session that expired, a lost
 *    connection or a closed tab never loses a reply, a note or a framing. On submit the form's
 *    draft is listed as sent; the server answers a post that went through with a short-lived
 *    cookie (cercles/core/middleware.py, SentMiddleware). On the next page, with the cookie the
 *    drafts sent are forgotten; without it (log-in page, refusal, no connection) they stay, and
 *    come back in their form when the person is on its page again. Forms with a password field
 *    or `data-no-draft` are never kept.
 * 2. Menus: the header's menu button opens and closes the links on a phone; it and the
 *    <details class="dropdown"> menus close with Escape and a click outside.
 * 3. Time zones: a <select data-browser-timezone> not marked data-chosen takes the browser's
 *    zone, and a sentence under it (its data-browser-timezone-note, "{zone}" filled in; or the
 *    element whose id the attribute gives) says so.
 */
(function () {
  "use strict";
  var PREFIX = "cercles:draft:";
  var SENT = "cercles:sent";
  var COOKIE = "cercles_sent";
  var WEEK = 7 * 24 * 3600 * 1000;
  var french = (document.documentElement.lang || "").indexOf("fr") === 0;
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(PREFIX + "probe", "1");
    storage.removeItem(PREFIX + "probe");
  } catch (e) {
    storage = null;
  }
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var TEXT = "textarea, input[type=text], input[type=search], input[type=url], input:not([type])";

  function draftable(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" &&
      !form.hasAttribute("data-no-draft") &&
      !form.querySelector("input[type=password]") &&
      !!form.querySelector(TEXT);
  }

  function slot(form, el) {
    var same = form.querySelectorAll("[name='" + el.name.replace(/'/g, "\\'") + "']");
    return el.name + "#" + Array.prototype.indexOf.call(same, el);
  }

  function typed(form) {
    return Array.prototype.some.call(form.querySelectorAll(TEXT), function (el) {
      return el.name && el.value.trim() && el.value !== el.defaultValue;
    });
  }

  function fieldsOf(form) {
    var fields = {};
    each(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") fields[el.name + "=" + el.value] = el.checked;
      else if (type !== "hidden" && type !== "file" && type !== "submit" && type !== "button" &&
               !(el.tagName === "SELECT" && el.multiple)) fields[slot(form, el)] = el.value;
    });
    return fields;
  }

  function save(form, key) {
    if (!typed(form)) { storage.removeItem(key); return; }
    storage.setItem(key, JSON.stringify({ at: Date.now(), fields: fieldsOf(form) }));
  }

  function restore(form, key) {
    var draft = null;
    try { draft = JSON.parse(storage.getItem(key) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.fields || Date.now() - draft.at > WEEK) { storage.removeItem(key); return; }
    var restored = false;
    each(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken") return;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        var checked = draft.fields[el.name + "=" + el.value];
        if (typeof checked === "boolean") el.checked = checked;
        return;
      }
      var value = draft.fields[slot(form, el)];
      if (typeof value !== "string" || value === el.value) return;
      el.value = value;
      if (el.matches(TEXT) && value.trim()) restored = true;
    });
    if (!restored) return;
    for (var parent = form.parentElement; parent; parent = parent.parentElement) {
      if (parent.tagName === "DETAILS") parent.open = true;
    }
    var note = document.createElement("p");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = french
      ? "Votre brouillon a été gardé : relisez-le puis envoyez-le. "
      : "Your draft was kept: read it over, then send it. ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = french ? "Effacer le brouillon" : "Discard the draft";
    discard.addEventListener("click", function () {
      storage.removeItem(key);
      form.reset();
      note.remove();
    });
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
  }

  function sentKeys() {
    try { return JSON.parse(storage.getItem(SENT) || "[]"); } catch (e) { return []; }
  }

  function settleSent() {
    var wentThrough = document.cookie.split("; ").indexOf(COOKIE + "=1") !== -1;
    if (wentThrough) {
      each(sentKeys(), function (key) { storage.removeItem(key); });
      document.cookie = COOKIE + "=; Max-Age=0; path=/; SameSite=Lax";
    }
    storage.removeItem(SENT);
  }

  function setUpDrafts() {
    if (!storage) return;
    settleSent();
    var counters = {};
    each(document.querySelectorAll("form"), function (form) {
      if (!draftable(form)) return;
      var action = form.getAttribute("action") || "";
      counters[action] = (counters[action] || 0) + 1;
      var key = PREFIX + location.pathname + "|" + action + "|" + counters[action];
      restore(form, key);
      var timer = null;
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { save(form, key); }, 250);
      });
      form.addEventListener("change", function () { save(form, key); });
      form.addEventListener("submit", function () {
        clearTimeout(timer);
        save(form, key);
        if (storage.getItem(key)) {
          var keys = sentKeys();
          if (keys.indexOf(key) === -1) keys.push(key);
          storage.setItem(SENT, JSON.stringify(keys));
        }
      });
      // A form sent by htmx stays on the page: its answer says at once whether it went through.
      form.addEventListener("htmx:afterRequest", function (event) {
        if (event.detail && event.detail.successful) storage.removeItem(key);
      });
    });
  }

  function setUpHeaderMenu() {
    var button = document.querySelector(".menu-button");
    var nav = button && button.closest(".site-nav");
    if (!nav) return;
    function set(open) {
      nav.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      set(!nav.classList.contains("menu-open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("menu-open")) { set(false); button.focus(); }
    });
    document.addEventListener("click", function (event) {
      if (nav.classList.contains("menu-open") && !nav.contains(event.target)) set(false);
    });
  }

  function setUpMenus() {
    var MENUS = "details.dropdown, details.menu";
    function closeAll(except) {
      each(document.querySelectorAll("details[open]"), function (d) {
        if (d.matches(MENUS) && d !== except && !d.contains(except)) d.open = false;
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = Array.prototype.filter.call(document.querySelectorAll("details[open]"),
        function (d) { return d.matches(MENUS); });
      if (!open.length) return;
      closeAll(null);
      var summary = open[open.length - 1].querySelector("summary");
      if (summary) summary.focus();
    });
    document.addEventListener("click", function (event) {
      closeAll(event.target.closest ? event.target.closest(MENUS) : null);
    });
  }

  function setUpTimeZones() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
    each(document.querySelectorAll("select[data-browser-timezone]"), function (select) {
      if (!zone || select.hasAttribute("data-chosen")) return;
      var option = Array.prototype.filter.call(select.options, function (o) { return o.value === zone; })[0];
      if (!option) return;
      select.value = zone;
      var said = select.getAttribute("data-browser-timezone");
      var note = said ? document.getElementById(said) : null;
      var template = select.getAttribute("data-browser-timezone-note");
      if (!note && template) {
        note = document.createElement("p");
        note.id = (select.id || "timezone") + "_browser";
        note.className = "timezone-note";
        select.insertAdjacentElement("afterend", note);
        var described = select.getAttribute("aria-describedby");
        select.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
      }
      if (!note) return;
      if (template) note.textContent = template.replace("{zone}", option.textContent);
      note.hidden = false;
    });
  }

  setUpDrafts();
  setUpHeaderMenu();
  setUpMenus();
  setUpTimeZones();
})();
