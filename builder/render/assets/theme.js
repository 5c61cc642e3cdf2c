/* theme.js: mkdocs-material 9.8.1's small inline scripts (partials/javascripts/base.html,
 * palette.html and content.html; MIT, Martin Donath), moved into this file so that the
 * site needs no inline script (Content-Security-Policy: script-src 'self'). Each template
 * loads it with data-part saying which piece runs there, at the same place in the page.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var part = me ? me.getAttribute("data-part") : "";

  if (part === "base") {
    /* globals the theme's bundle uses: __md_scope, __md_hash, __md_get, __md_set */
    window.__md_scope = new URL(me.getAttribute("data-scope") || ".", location);
    window.__md_hash = function (e) {
      return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
    };
    /* unlike the theme's own, these never throw: storage may be blocked or hold junk */
    window.__md_get = function (e, store, scope) {
      try {
        store = store || window.localStorage;
        scope = scope || window.__md_scope;
        return JSON.parse(store.getItem(scope.pathname + "." + e));
      } catch (err) { return null; }
    };
    window.__md_set = function (e, value, store, scope) {
      try {
        store = store || window.localStorage;
        scope = scope || window.__md_scope;
        store.setItem(scope.pathname + "." + e, JSON.stringify(value));
      } catch (err) { /* blocked or full */ }
    };
  } else if (part === "palette") {
    /* the colour scheme the learner chose, before the page is drawn */
    var palette = null;
    try { palette = window.__md_get("__palette"); } catch (err) { palette = null; }
    if (palette && palette.color) {
      if (palette.color.media === "(prefers-color-scheme)") {
        var media = matchMedia("(prefers-color-scheme: light)");
        var input = document.querySelector(media.matches ?
          "[data-md-color-media='(prefers-color-scheme: light)']" :
          "[data-md-color-media='(prefers-color-scheme: dark)']");
        if (input) {
          palette.color.media = input.getAttribute("data-md-color-media");
          palette.color.scheme = input.getAttribute("data-md-color-scheme");
          palette.color.primary = input.getAttribute("data-md-color-primary");
          palette.color.accent = input.getAttribute("data-md-color-accent");
        }
      }
      Object.keys(palette.color).forEach(function (key) {
        document.body.setAttribute("data-md-color-" + key, palette.color[key]);
      });
    }
  } else if (part === "content") {
    if (me.getAttribute("data-tabs-link") === "true") {
      var tabs = null;
      try { tabs = window.__md_get("__tabs"); } catch (err) { tabs = null; }
      if (Array.isArray(tabs)) {
        document.querySelectorAll(".tabbed-set").forEach(function (set) {
          var labels = set.querySelector(".tabbed-labels");
          if (!labels) { return; }
          var found = false;
          tabs.forEach(function (tab) {
            if (found) { return; }
            Array.prototype.forEach.call(labels.getElementsByTagName("label"), function (label) {
              if (!found && label.innerText.trim() === tab) {
                var radio = document.getElementById(label.htmlFor);
                if (radio) { radio.checked = true; found = true; }
              }
            });
          });
        });
      }
    }
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) { target.checked = target.name.indexOf("__tabbed_") === 0; }
  }
}());
