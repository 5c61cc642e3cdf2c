/* package-page.js: the script every page of a package ends with (plain JavaScript, ES5;
 * no eval, no inline script). Its <script> tag says the page's path in the package
 * (data-page), the pages of its part (data-scope: a SCO's, an AU's) and the pages the
 * package holds beside its parts (data-side: the course's help page), if any.
 *
 * - It hands the page to the launch page above it, the format's runtime
 *   (scorm-runtime.js, cmi5-runtime.js), which publishes window.MoocPackage =
 *   {shell: true, attach(win, path), leave(win)}: attach once the page is ready, leave as
 *   it goes away.
 * - It makes links that other scripts add later (progress, widgets) lead nowhere when
 *   they would leave the part: a page of another part, or of the site, stays unopened;
 *   other sites open in a new window; a page beside the parts (help) opens in a new
 *   window too, so that the learner keeps their place.
 * Without a launch page (the page opened on its own, or in a frame of another site) the
 * page works exactly like the site's.
 */
(function () {
  "use strict";

  function warn() {
    if (window.console && window.console.warn) {
      var args = Array.prototype.slice.call(arguments);
      args.unshift("mooc-package:");
      window.console.warn.apply(window.console, args);
    }
  }

  function guardLinks(path, scope, side) {
    var here = String(window.location.href).split("#")[0].split("?")[0];
    if (!scope.length || here.slice(-path.length) !== path) { return; }
    var root = here.slice(0, here.length - path.length);
    document.addEventListener("click", function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a[href]") : null;
      if (!a || a.hasAttribute("download") || ev.defaultPrevented) { return; }
      var url;
      try { url = new URL(a.getAttribute("href"), here); } catch (e) { return; }
      if (/^(mailto|tel|blob|data|javascript):$/.test(url.protocol)) {
        if (url.protocol === "javascript:") { ev.preventDefault(); }
        return;
      }
      var target = url.href.split("#")[0].split("?")[0];
      if (target.indexOf(root) !== 0) {
        ev.preventDefault();
        if (url.protocol === "http:" || url.protocol === "https:") {
          if (url.origin !== window.location.origin) { window.open(url.href, "_blank", "noopener"); }
        }
        return;
      }
      var rel = decodeURIComponent(target.slice(root.length));
      if (side.indexOf(rel) !== -1 && scope.indexOf(rel) === -1) {
        if (a.getAttribute("target") !== "_blank") {
          ev.preventDefault();
          window.open(url.href, "_blank", "noopener");
        }
        return;
      }
      if (/\.html?$/.test(rel) && scope.indexOf(rel) === -1) {
        ev.preventDefault();
        warn("not in this package:", rel);
      }
    }, true);
  }

  function Page(path, scope, side) {
    if (path) { guardLinks(path, scope, side); }
    var shell = null;
    try {
      if (window.parent && window.parent !== window && window.parent.MoocPackage &&
          window.parent.MoocPackage.shell) {
        shell = window.parent.MoocPackage;
      }
    } catch (e) { shell = null; }  /* a frame of another site: behave like the site */
    if (!shell || !path) { return; }
    var attach = function () { shell.attach(window, path); };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", attach);
    } else {
      attach();
    }
    window.addEventListener("pagehide", function () { shell.leave(window); });
  }

  var me = document.currentScript;
  function list(name) {
    return me ? (me.getAttribute(name) || "").split(" ").filter(Boolean) : [];
  }
  Page(me ? me.getAttribute("data-page") : null, list("data-scope"), list("data-side"));
}());
