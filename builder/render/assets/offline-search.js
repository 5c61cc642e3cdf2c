/* offline-search.js: search when the site is opened from disk (file://).
 *
 * mkdocs-material runs its search in a Web Worker, which a page opened from file:// may
 * not start, and reads its index from search/search_index.js there (the mooc plugin
 * writes it). The theme supports running the worker inside a hidden iframe instead
 * ("IFrameWorker", see its search worker); its own offline plugin takes that shim from a
 * CDN. This is a small same-site version of it, loaded in <head> before the theme's
 * bundle. It does nothing over http(s). No inline script: the iframe is about:blank and
 * gets the worker's script as a <script src>.
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:" || window.IFrameWorker) { return; }

  function IFrameWorker(url) {
    var self = this;
    this.listeners = [];
    this.onmessage = null;
    this.onerror = null;
    this.queue = [];
    this.ready = false;
    this.url = new URL(String(url), document.baseURI).href;
    this.frame = document.createElement("iframe");
    this.frame.hidden = true;
    this.frame.setAttribute("aria-hidden", "true");
    this.frame.setAttribute("tabindex", "-1");
    this.frame.title = "search";
    var start = function () { self.start(); };
    if (document.body) { document.body.appendChild(this.frame); start(); } else {
      document.addEventListener("DOMContentLoaded", function () {
        document.body.appendChild(self.frame);
        start();
      });
    }
  }

  IFrameWorker.prototype.start = function () {
    var self = this, win = this.frame.contentWindow, doc = win.document;
    /* The worker's side: postMessage answers the page; importScripts loads in order. */
    win.postMessage = function (data) {
      window.setTimeout(function () { self.dispatch(data); }, 0);
    };
    win.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (done, src) {
        return done.then(function () { return load(doc, src); });
      }, Promise.resolve());
    };
    load(doc, this.url).then(function () {
      self.ready = true;
      self.queue.splice(0).forEach(function (data) { self.post(data); });
    }, function (err) {
      if (typeof self.onerror === "function") { self.onerror(err); }
    });
  };

  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("could not load " + src)); };
      (doc.body || doc.documentElement).appendChild(script);
    });
  }

  IFrameWorker.prototype.post = function (data) {
    var win = this.frame.contentWindow;
    win.dispatchEvent(new win.MessageEvent("message", { data: data }));
  };

  IFrameWorker.prototype.postMessage = function (data) {
    var self = this;
    if (!this.ready) { this.queue.push(data); return; }
    window.setTimeout(function () { self.post(data); }, 0);
  };

  IFrameWorker.prototype.dispatch = function (data) {
    var event = new MessageEvent("message", { data: data });
    if (typeof this.onmessage === "function") { this.onmessage(event); }
    this.listeners.forEach(function (l) {
      if (l.type === "message") { l.fn.call(null, event); }
    });
  };

  IFrameWorker.prototype.addEventListener = function (type, fn) {
    if (typeof fn === "function") { this.listeners.push({ type: type, fn: fn }); }
  };

  IFrameWorker.prototype.removeEventListener = function (type, fn) {
    this.listeners = this.listeners.filter(function (l) { return l.type !== type || l.fn !== fn; });
  };

  IFrameWorker.prototype.terminate = function () {
    if (this.frame.parentNode) { this.frame.parentNode.removeChild(this.frame); }
    this.listeners = [];
  };

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
}());
