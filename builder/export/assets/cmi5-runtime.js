/* cmi5-runtime.js: connects a cmi5 AU (one module of the course) to the LMS's LRS (plain
 * JavaScript, ES5; no eval, no inline script: it runs under the launch page's strict CSP).
 *
 * In a launch page (it holds <script id="mooc-cmi5-config">), the AU itself: reads the
 * launch parameters (endpoint, fetch, actor, registration, activityId), fetches the
 * authorization token once, reads LMS.LaunchData (launch mode, mastery score, moveOn,
 * return URL, context template) and the learner preferences, restores the learner's quiz
 * state from the State API, shows the module's page in a frame (which hands itself over
 * through package-page.js and window.MoocPackage, published here; the pages and their
 * quizzes are package-launch.js's, shared with scorm-runtime.js), and sends the
 * statements the cmi5 specification asks for. Without launch parameters (opened without
 * an LMS) the page works as on the site and nothing is sent.
 *
 * Statements (cmi5 "Quartz", section 9), in this order, each with the context template,
 * the registration, the session id and, for cmi5 defined ones, the cmi5 category:
 *   initialized                      once the launch data and preferences are read;
 *   answered                         one per answered question when a quiz is checked
 *                                    (object: a cmi.interaction activity of the question);
 *   passed                           when a check gives a score that meets the mastery
 *                                    score (the LMS's, else the package's), at most once
 *                                    per registration, with the score and the moveOn category;
 *   failed                           when the session ends after checks that did not pass
 *                                    (cmi5 allows one of passed and failed per session:
 *                                    a learner who fails, tries again and passes in the same
 *                                    session is recorded as passed), never after a pass;
 *   completed                        when the module is done by course.yml's completion
 *                                    rule, at most once per registration;
 *   terminated                       when the learner presses Exit, or the page goes away.
 * In Browse and Review modes: initialized and terminated only; the saved state is read,
 * never written.
 *
 * Delivery: every request goes through one queue, in order, one at a time, while the
 * launch page is alive; a request that fails (network, 5xx, 408, 429) is sent again with
 * a bounded backoff, and the learner is told after a few failures in a row. Requests are
 * made with fetch(..., {keepalive: true}) when small, so one under way survives the page;
 * when the page goes away (pagehide), what the queue still holds, with failed and
 * terminated, leaves in one keepalive request (statements) and one more (the state);
 * browsers without fetch use a synchronous XMLHttpRequest there.
 *
 * The State API document (stateId in the settings, per AU, learner and registration):
 *   {format, seen: [page fingerprints], quizzes: [{fp, attempts, best, checked,
 *    responses: [as questions.js encodes them]}], passed, completed}
 * A quiz's fingerprint changes when its questions change, so a package exported again
 * after an edit ignores the answers that no longer fit.
 */
(function () {
  "use strict";

  var FRAME_ID = "mooc-cmi5-frame";
  var Q = window.MoocQuestions;
  var L = window.MoocLaunch;  /* the pages and their quizzes (package-launch.js) */
  var XAPI_VERSION = "1.0.3";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var VERBS = {
    initialized: ADL + "initialized", terminated: ADL + "terminated", completed: ADL + "completed",
    passed: ADL + "passed", failed: ADL + "failed", answered: ADL + "answered"
  };
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var CATEGORY = CMI5 + "categories/cmi5", MOVEON = CMI5 + "categories/moveon";
  var SESSION = CMI5 + "extensions/sessionid", MASTERY = CMI5 + "extensions/masteryscore";
  var INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction";
  var RETRIES = [500, 1000, 2000, 4000, 8000, 15000, 30000];  /* then every 30 s */
  var NOTICE_AFTER = 3;  /* failed requests in a row before the learner is told */
  var SETTLE = 1500;  /* ms after a change that was not saved: save it */
  var KEEPALIVE_MAX = 60000;  /* bytes: the browser allows 64 KiB of keepalive bodies at once */
  var EXIT_WAIT = 10000;  /* ms the Exit button waits for the queue before leaving */

  function warn() {
    if (window.console && window.console.warn) {
      var args = Array.prototype.slice.call(arguments);
      args.unshift("mooc-cmi5:");
      window.console.warn.apply(window.console, args);
    }
  }

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  function uuid() {
    var bytes = [], i;
    if (window.crypto && window.crypto.getRandomValues) {
      var buf = new Uint8Array(16);
      window.crypto.getRandomValues(buf);
      for (i = 0; i < 16; i++) { bytes.push(buf[i]); }
    } else {
      for (i = 0; i < 16; i++) { bytes.push(Math.floor(Math.random() * 256)); }
    }
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = bytes.map(function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* ISO 8601 duration, hundredths of a second (xAPI keeps 0.01 s). */
  function duration(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  /* ---------------------------------------------------------------- launch parameters */

  function launchParameters(search) {
    var out = {};
    String(search || "").replace(/^\?/, "").split("&").forEach(function (pair) {
      if (!pair) { return; }
      var at = pair.indexOf("=");
      try {
        out[decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, " "))] =
          at < 0 ? "" : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
      } catch (e) { /* a malformed pair: ignored */ }
    });
    if (!out.endpoint || !out.fetch || !out.actor || !out.registration || !out.activityId) { return null; }
    try { out.actor = JSON.parse(out.actor); } catch (e) { return null; }
    return out && typeof out.actor === "object" ? out : null;
  }

  /* ---------------------------------------------------------------- HTTP */

  /* One request; done(status, text) exactly once (status 0: no answer). keepalive: the
   * request outlives the page (fetch only). sync: a synchronous XMLHttpRequest. */
  function request(method, url, headers, body, opts, done) {
    var called = false;
    function finish(status, text) {
      if (called) { return; }
      called = true;
      if (done) { done(status, text); }
    }
    var size = body ? body.length : 0;
    if (window.fetch && !opts.sync) {
      var init = { method: method, headers: headers, credentials: "omit", cache: "no-store" };
      if (body !== undefined && body !== null) { init.body = body; }
      if (opts.keepalive && size <= KEEPALIVE_MAX) { init.keepalive = true; }
      var timer = null;
      if (window.AbortController && !opts.keepalive) {
        var abort = new window.AbortController();
        init.signal = abort.signal;
        timer = window.setTimeout(function () { abort.abort(); }, 30000);
      }
      try {
        window.fetch(url, init).then(function (response) {
          return response.text().then(function (text) { finish(response.status, text); });
        })["catch"](function () { finish(0, ""); }).then(function () {
          if (timer !== null) { window.clearTimeout(timer); }
        });
      } catch (e) {
        finish(0, "");
      }
      return;
    }
    var xhr = new XMLHttpRequest();
    try {
      xhr.open(method, url, !opts.sync);
      for (var k in headers) { if (own(headers, k)) { xhr.setRequestHeader(k, headers[k]); } }
      if (!opts.sync) {
        xhr.timeout = 30000;
        xhr.onreadystatechange = function () {
          if (xhr.readyState === 4) { finish(xhr.status, xhr.responseText); }
        };
      }
      xhr.send(body === undefined ? null : body);
      if (opts.sync) { finish(xhr.status, xhr.responseText); }
    } catch (e) {
      finish(0, "");
    }
  }

  /* Worth sending again: no answer, a server error, a timeout or "too many requests". */
  function transient(status) { return status === 0 || status === 408 || status === 429 || status >= 500; }

  function Lrs(endpoint, token) {
    this.base = endpoint.charAt(endpoint.length - 1) === "/" ? endpoint : endpoint + "/";
    this.auth = "Basic " + token;
  }
  Lrs.prototype.url = function (resource, query) {
    var parts = [];
    for (var k in query) {
      if (own(query, k)) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(query[k])); }
    }
    return this.base + resource + (parts.length ? "?" + parts.join("&") : "");
  };
  Lrs.prototype.headers = function (json) {
    var h = { "Authorization": this.auth, "X-Experience-API-Version": XAPI_VERSION };
    if (json) { h["Content-Type"] = "application/json"; }
    return h;
  };
  /* GET a document: done(status, parsed JSON or null); tried again on transient failures. */
  Lrs.prototype.get = function (resource, query, done) {
    var self = this, attempt = 0;
    function go() {
      request("GET", self.url(resource, query), self.headers(false), undefined, {}, function (status, text) {
        if (transient(status) && attempt < 4) {
          window.setTimeout(go, RETRIES[attempt++]);
          return;
        }
        var data = null;
        if (status === 200) { try { data = JSON.parse(text); } catch (e) { data = null; } }
        done(status, data);
      });
    }
    go();
  };

  /* ---------------------------------------------------------------- the queue */

  /* Statements and state documents, sent in order, one request at a time. An op is
   * {kind: "statements", list: [...]} or {kind: "state", doc: {...}}. */
  function Outbox(lrs, stateQuery, onFail, onOk) {
    this.lrs = lrs;
    this.stateQuery = stateQuery;
    this.ops = [];
    this.busy = null;
    this.failures = 0;
    this.retryAt = 0;
    this.timer = null;
    this.stopped = false;
    this.waiting = [];
    this.dropped = 0;
    this.onFail = onFail;
    this.onOk = onOk;
  }
  /* alone: in a request of its own, which later statements do not join (initialized: the
   * LMS checks that a session is initialized before it reads the request's other ones) */
  Outbox.prototype.statements = function (list, alone) {
    var last = this.ops[this.ops.length - 1];
    if (last && last !== this.busy && last.kind === "statements" && !last.alone && !alone) {
      last.list = last.list.concat(list);
    } else {
      this.ops.push({ kind: "statements", list: list, alone: !!alone });
    }
    this.pump();
  };
  /* The latest state only: an older one still waiting goes. */
  Outbox.prototype.state = function (doc) {
    var busy = this.busy;
    this.ops = this.ops.filter(function (op) { return op === busy || op.kind !== "state"; });
    this.ops.push({ kind: "state", doc: doc });
    this.pump();
  };
  Outbox.prototype.idle = function () { return !this.ops.length; };
  Outbox.prototype.request = function (op, opts, done) {
    var lrs = this.lrs;
    if (op.kind === "statements") {
      request("POST", lrs.url("statements", {}), lrs.headers(true), JSON.stringify(op.list), opts, done);
    } else {
      request("PUT", lrs.url("activities/state", this.stateQuery), lrs.headers(true),
        JSON.stringify(op.doc), opts, done);
    }
  };
  Outbox.prototype.pump = function () {
    var self = this;
    if (this.busy || this.stopped || this.timer !== null || !this.ops.length) {
      if (!this.ops.length && !this.busy) { this.drained(); }
      return;
    }
    var op = this.busy = this.ops[0];
    this.request(op, { keepalive: true }, function (status, text) {
      self.busy = null;
      if (self.stopped) { return; }
      /* 409: the LRS holds statements with these ids already (an answer that was lost). */
      if ((status >= 200 && status < 300) || (status === 409 && op.kind === "statements")) {
        self.ops.shift();
        self.failures = 0;
        self.retryAt = 0;
        self.onOk();
      } else if (!transient(status)) {
        self.ops.shift();
        if (op.kind === "statements" && op.list.length > 1) {
          /* one refused statement must not take the others with it: one by one */
          var singles = op.list.map(function (st) { return { kind: "statements", list: [st] }; });
          self.ops = singles.concat(self.ops);
        } else {
          self.dropped += 1;
          warn("the LRS refused", op.kind, "(HTTP " + status + "):", String(text).slice(0, 300));
        }
      } else {
        self.failures += 1;
        self.onFail(self.failures);
        var wait = RETRIES[Math.min(self.retryAt++, RETRIES.length - 1)];
        self.timer = window.setTimeout(function () { self.timer = null; self.pump(); }, wait);
        return;
      }
      self.pump();
    });
  };
  Outbox.prototype.drained = function () {
    var waiting = this.waiting;
    this.waiting = [];
    waiting.forEach(function (cb) { cb(); });
  };
  Outbox.prototype.whenDrained = function (cb) {
    if (!this.ops.length && !this.busy) { cb(); return; }
    this.waiting.push(cb);
  };
  /* The page goes away: the statements still waiting leave now, in requests that outlive
   * the page (the one under way, made with keepalive, goes on by itself). A state
   * document still waiting is returned, not sent: it would reach the LMS next to
   * `terminated`, maybe after it, when the session no longer accepts requests (cmi5
   * 8.1.2); the caller keeps it on the device for the next launch. */
  Outbox.prototype.flush = function () {
    var self = this, busy = this.busy, statements = [], state = null;
    if (this.timer !== null) { window.clearTimeout(this.timer); this.timer = null; }
    this.stopped = true;
    this.ops.forEach(function (op) {
      if (op === busy) { return; }
      if (op.kind === "statements") { statements = statements.concat(op.list); } else { state = op; }
    });
    this.ops = busy ? [busy] : [];
    var opts = window.fetch ? { keepalive: true } : { sync: true };
    /* in batches the keepalive quota can take, in order */
    var batch = [], size = 2;
    statements.forEach(function (st) {
      var bytes = JSON.stringify(st).length + 1;
      if (batch.length && size + bytes > KEEPALIVE_MAX / 2) {
        self.request({ kind: "statements", list: batch }, opts, null);
        batch = [];
        size = 2;
      }
      batch.push(st);
      size += bytes;
    });
    if (batch.length) { this.request({ kind: "statements", list: batch }, opts, null); }
    return state ? state.doc : null;
  };

  /* ---------------------------------------------------------------- the launch page */

  function Shell(cfg) {
    var frame = document.getElementById(FRAME_ID);
    var bar = document.getElementById("mooc-cmi5-bar");
    var statusEl = document.getElementById("mooc-cmi5-status");
    var exitButton = document.getElementById("mooc-cmi5-exit");
    var texts = cfg.notices || {};  /* in the package's language (the strings files) */
    var quizById = {}, quizByFp = {}, pageByPath = {}, pageByFp = {};
    cfg.quizzes.forEach(function (q) { quizById[q.id] = q; quizByFp[q.fp] = q; });
    cfg.pages.forEach(function (p) { pageByPath[p.path] = p; pageByFp[p.fp] = p; });

    /* learner: the key that, with a quiz and an attempt, draws its questions and orders
     * (questions.js); kept in the document, else made from the actor */
    var state = { seen: {}, recs: {}, passed: false, completed: false, learner: "" };
    var launch = launchParameters(window.location.search);
    var lrs = null, outbox = null, launchData = null, agent = "", mode = "Normal";
    var connected = false, closed = false, left = false, writes = false;
    var startedAt = 0, judged = "", failPending = null, settleTimer = null;
    var savedText = "";

    function notice(what) {
      if (!statusEl) { return; }
      statusEl.textContent = what ? texts[what] || "" : "";
    }

    /* -- state <-> the State API document */
    function rec(id, create) {
      if (!own(state.recs, id) && create) {
        state.recs[id] = { attempts: 0, best: 0, checked: false, responses: {} };
      }
      return own(state.recs, id) ? state.recs[id] : null;
    }

    function encode() {
      return {
        format: cfg.format, learner: state.learner,
        seen: cfg.pages.filter(function (p) { return state.seen[p.path]; }).map(function (p) { return p.fp; }),
        quizzes: cfg.quizzes.filter(function (q) { return own(state.recs, q.id); }).map(function (q) {
          var r = state.recs[q.id];
          return {
            fp: q.fp, attempts: r.attempts, best: Math.min(r.best, q.max), checked: r.checked,
            responses: q.questions.map(function (qq) { return Q.encode(qq, r.responses[qq.id]); })
          };
        }),
        passed: state.passed, completed: state.completed
      };
    }

    function decode(doc) {
      if (!doc || doc.format !== cfg.format) { return; }
      if (Q.isLearner(doc.learner)) { state.learner = doc.learner; }
      (doc.seen || []).forEach(function (fp) {
        if (own(pageByFp, fp)) { state.seen[pageByFp[fp].path] = true; }
      });
      (doc.quizzes || []).forEach(function (entry) {
        var q = entry && own(quizByFp, entry.fp) ? quizByFp[entry.fp] : null;
        if (!q || !Array.isArray(entry.responses) || entry.responses.length !== q.questions.length) { return; }
        var r = rec(q.id, true);
        r.attempts = Math.max(0, parseInt(entry.attempts, 10) || 0);
        r.best = Math.min(Math.max(0, Number(entry.best) || 0), q.max);
        r.checked = entry.checked === true;
        r.responses = {};
        q.questions.forEach(function (qq, k) {
          var value = Q.decode(qq, entry.responses[k]);
          if (value !== null) { r.responses[qq.id] = value; }
        });
        if (r.checked && !r.attempts) { r.attempts = 1; }
      });
      state.passed = state.passed || doc.passed === true;
      state.completed = state.completed || doc.completed === true;
    }

    /* The state a page that went away could not send (see Outbox.flush), on this device. */
    function leftKey() { return "mooc-cmi5:left:" + launch.registration + ":" + launch.activityId; }
    function keepLeft(doc) {
      try { window.localStorage.setItem(leftKey(), JSON.stringify(doc)); } catch (e) { /* lost */ }
    }
    function takeLeft() {
      var doc = null;
      try {
        doc = JSON.parse(window.localStorage.getItem(leftKey()) || "null");
        window.localStorage.removeItem(leftKey());
      } catch (e) { doc = null; }
      return doc;
    }

    /* -- the completion rule (course.yml `completion`) and the mastery score */
    function mastery() {
      var lms = launchData ? launchData.masteryScore : undefined;
      if (typeof lms === "number" && lms >= 0 && lms <= 1) { return lms; }
      return typeof cfg.masteryScore === "number" ? cfg.masteryScore : null;
    }

    function evaluate() {
      var seen = cfg.pages.filter(function (p) { return state.seen[p.path]; }).length;
      var scored = cfg.quizzes.filter(function (q) { return q.max > 0; });
      var best = 0, max = 0, attempted = 0;
      scored.forEach(function (q) {
        var r = state.recs[q.id];
        max += q.max;
        if (r && r.attempts) { attempted += 1; best += Math.min(r.best, q.max); }
      });
      var all = attempted === scored.length;
      var percent = max ? Q.percent(best, max) : null;
      var threshold = mastery();
      var pass = percent !== null && all && (threshold === null || percent / 100 >= threshold);
      var quizzesMet = !scored.length || (cfg.quizRule === "attempted" ? all : pass);
      return {
        percent: percent, all: all, pass: pass,
        complete: (!cfg.pageSeen || seen === cfg.pages.length) && quizzesMet
      };
    }

    /* -- statements */
    function context(categories, parent) {
      var ctx = clone(launchData.contextTemplate) || {};
      ctx.registration = launch.registration;
      var acts = ctx.contextActivities = ctx.contextActivities || {};
      function add(kind, id) {
        var list = acts[kind] = acts[kind] || [];
        if (!list.some(function (a) { return a && a.id === id; })) { list.push({ id: id, objectType: "Activity" }); }
      }
      categories.forEach(function (id) { add("category", id); });
      if (parent) { add("parent", parent); }
      ctx.extensions = ctx.extensions || {};
      return ctx;
    }

    function statement(verb, object, ctx, result) {
      var st = {
        id: uuid(), timestamp: new Date().toISOString(), actor: launch.actor,
        verb: { id: VERBS[verb], display: { "en-US": verb } }, object: object, context: ctx
      };
      if (result) { st.result = result; }
      return st;
    }

    function auStatement(verb, result, moveOn) {
      var ctx = context(moveOn ? [CATEGORY, MOVEON] : [CATEGORY]);
      if ((verb === "passed" || verb === "failed") && launchData.masteryScore !== undefined &&
          launchData.masteryScore !== null) {
        ctx.extensions[MASTERY] = launchData.masteryScore;
      }
      return statement(verb, { objectType: "Activity", id: launch.activityId }, ctx, result);
    }

    function scoreResult(percent, success) {
      return {
        score: { scaled: percent / 100, raw: percent, min: 0, max: 100 },
        success: success, duration: duration(Date.now() - startedAt)
      };
    }

    function answered(quiz, item) {
      var q = null;
      quiz.questions.forEach(function (qq) { if (qq.id === item.id) { q = qq; } });
      if (!q || item.shown === false || item.response === null || item.response === undefined ||
          item.response === "") { return null; }
      var lang = {};
      lang[cfg.lang] = q.desc || q.id;
      var definition = { type: INTERACTION, name: lang, description: lang, interactionType: q.itype };
      var scored = Q.scored(q), result = {};
      if (scored) {
        definition.correctResponsesPattern = q.cr;
        var formatted = Q.format(q, item.response, false, cfg.lang);
        if (formatted !== null) { result.response = formatted; }
        result.success = typeof item.correct === "boolean" ? item.correct : Q.matchPattern(q, item.response, false) >= 0;
      }
      if (item.latencyMs) { result.duration = duration(item.latencyMs); }
      return statement("answered", { objectType: "Activity", id: q.activity, definition: definition },
        context([], launch.activityId), Object.keys(result).length ? result : null);
    }

    /* -- saving: the document, when it differs from the one the LRS was last given */
    function save() {
      if (settleTimer !== null) { window.clearTimeout(settleTimer); settleTimer = null; }
      if (!connected || !writes || closed) { return; }
      var doc = encode(), text = JSON.stringify(doc);
      if (text !== savedText) {
        savedText = text;
        outbox.state(doc);
      }
    }

    /* What changed while a page was going away is saved a moment later, from here. */
    function later() {
      if (settleTimer !== null || !connected || !writes || closed) { return; }
      settleTimer = window.setTimeout(function () { settleTimer = null; save(); }, SETTLE);
    }

    /* completed, once per registration, as soon as the module is done */
    function progress() {
      if (!connected || !writes || closed) { return; }
      var ev = evaluate();
      if (ev.complete && !state.completed) {
        state.completed = true;
        outbox.statements([auStatement("completed", {
          completion: true, duration: duration(Date.now() - startedAt)
        }, true)]);
      }
    }

    /* -- the pages and their quizzes (package-launch.js); the statements they cause */
    var pages = L.pages({
      state: state, quizById: quizById, pageByPath: pageByPath, rec: rec, warn: warn,
      connected: function () { return connected; },
      over: function () { return left; },
      checked: checked,
      /* only the quizzes the state holds, without a best result */
      restoring: function (quiz, r) { return r ? { checked: r.checked, attempts: r.attempts } : null; },
      attached: function () { progress(); },
      left: function () { later(); },
      save: save
    });
    var collectDrafts = pages.collectDrafts;

    function checked(quiz, detail) {
      if (!connected || !writes || closed) { return; }
      var list = [];
      (detail.questions || []).forEach(function (item) {
        var st = answered(quiz, item);
        if (st) { list.push(st); }
      });
      var ev = evaluate();
      if (ev.all && ev.percent !== null && !state.passed) {
        if (ev.pass && judged !== "passed") {
          list.push(auStatement("passed", scoreResult(ev.percent, true), true));
          state.passed = true;
          judged = "passed";
          failPending = null;
        } else if (!ev.pass) {
          failPending = ev.percent;  /* sent when the session ends, unless a pass comes first */
        }
      }
      if (list.length) { outbox.statements(list); }
      progress();
      save();
    }

    /* -- the session */
    function start(token) {
      lrs = new Lrs(launch.endpoint, token);
      agent = JSON.stringify(launch.actor);
      var base = { activityId: launch.activityId, agent: agent, registration: launch.registration };
      var launchQuery = clone(base), stateQuery = clone(base);
      launchQuery.stateId = "LMS.LaunchData";
      stateQuery.stateId = cfg.stateId;
      lrs.get("activities/state", launchQuery, function (status, data) {
        if (status !== 200 || !data || typeof data !== "object") {
          warn("no LMS.LaunchData (HTTP " + status + "): nothing is recorded");
          notice("off");
          return;
        }
        launchData = data;
        mode = data.launchMode || "Normal";
        writes = mode === "Normal";
        /* read before any statement (cmi5 11.0): the page's language is the package's */
        lrs.get("agents/profile", { profileId: "cmi5LearnerPreferences", agent: agent }, function () {
          lrs.get("activities/state", stateQuery, function (status2, doc) {
            if (status2 === 200) {
              try { decode(doc); } catch (e) { warn("ignored the saved state", e); }
            }
            if (!state.learner) { state.learner = Q.learnerFrom(cfg.course + "/" + agent); }
            if (status2 === 200) { savedText = JSON.stringify(encode()); }
            try { decode(takeLeft()); } catch (e) { warn("ignored the state left here", e); }
            recorded(begin);
          });
        });
      });

      /* What this registration already holds (passed, completed: once each), from the
       * statements themselves: the state document may have missed the last of them. */
      function recorded(then) {
        if (!writes) { then(); return; }
        lrs.get("statements", {
          agent: agent, activity: launch.activityId, registration: launch.registration,
          limit: "0"
        }, function (status3, result) {
          ((result && result.statements) || []).forEach(function (st) {
            var verb = st && st.verb && st.verb.id;
            if (verb === VERBS.passed) { state.passed = true; }
            if (verb === VERBS.completed) { state.completed = true; }
          });
          then();
        });
      }

      function begin() {
        outbox = new Outbox(lrs, stateQuery, function (failures) {
          if (failures >= NOTICE_AFTER) { notice("pending"); }
        }, function () {
          if (statusEl && statusEl.textContent === texts.pending) { notice(""); }
        });
        connected = true;
        startedAt = Date.now();
        outbox.statements([auStatement("initialized")], true);
        if (pages.current()) { pages.applyToPage(pages.current().win); }
        progress();
        save();
      }
    }

    function connect() {
      if (!launch) { return; }  /* opened without an LMS: the pages work, nothing is sent */
      if (bar) { bar.hidden = false; }
      var key = "mooc-cmi5:token:" + launch.fetch, token = null;
      /* the fetch URL gives its token once: a reload of this page uses the one it got */
      try { token = window.sessionStorage.getItem(key); } catch (e) { token = null; }
      if (token) { start(token); return; }
      request("POST", launch.fetch, {}, undefined, {}, function (status, text) {
        var data = null;
        try { data = JSON.parse(text); } catch (e) { data = null; }
        if (status !== 200 || !data || !data["auth-token"]) {
          warn("the fetch URL gave no token (HTTP " + status + "):", String(text).slice(0, 200));
          notice("off");
          return;
        }
        try { window.sessionStorage.setItem(key, data["auth-token"]); } catch (e) { /* not kept */ }
        start(data["auth-token"]);
      });
    }

    /* The end of the session: what is left, failed if it is due, then terminated. */
    function close() {
      if (closed || !connected) { return; }
      if (writes) {
        try { collectDrafts(); } catch (e) { warn("drafts", e); }
        progress();
        if (failPending !== null && !judged && !state.passed) {
          outbox.statements([auStatement("failed", scoreResult(failPending, false), true)]);
          judged = "failed";
        }
        save();
      }
      closed = true;
      if (settleTimer !== null) { window.clearTimeout(settleTimer); settleTimer = null; }
      outbox.statements([auStatement("terminated", { duration: duration(Date.now() - startedAt) })]);
    }

    /* Exit: close the session, wait for the queue, then go where the LMS said. */
    function exit() {
      if (left) { return; }
      if (!connected) {
        if (launchData && launchData.returnURL) { window.location.assign(launchData.returnURL); }
        return;
      }
      if (exitButton) { exitButton.disabled = true; }
      notice("saving");
      close();
      var gone = false;
      function go() {
        if (gone) { return; }
        gone = true;
        var pending = !outbox.idle();
        notice(pending || outbox.dropped ? "left" : "done");
        if (launchData.returnURL) { window.location.assign(launchData.returnURL); }
      }
      outbox.whenDrained(go);
      window.setTimeout(go, EXIT_WAIT);
    }

    /* The page goes away (the window closes, the LMS navigates): whatever is still to
     * send leaves in requests that outlive the page. Exactly once. */
    function pagehide() {
      if (left) { return; }
      if (connected) {
        close();
        var unsent = outbox.flush();
        if (unsent) { keepLeft(unsent); }
      }
      left = true;
    }

    window.MoocPackage = window.MoocCmi5 = {
      shell: true, attach: pages.attach, leave: pages.leave, exit: exit,
      connected: function () { return connected; },
      debug: function () {
        return {
          state: clone(state), doc: encode(), evaluation: launchData ? evaluate() : null,
          mode: mode, closed: closed, queued: outbox ? outbox.ops.length : 0,
          page: pages.current() ? pages.current().path : null
        };
      }
    };

    if (exitButton) { exitButton.addEventListener("click", exit); }
    window.addEventListener("pagehide", pagehide);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || !connected || closed) { return; }
      collectDrafts();
      save();
    });

    frame.setAttribute("src", cfg.pages[0].path);
    connect();
  }

  var configEl = document.getElementById("mooc-cmi5-config");
  if (configEl) {
    var cfg = null;
    try { cfg = JSON.parse(configEl.textContent); } catch (e) { warn("bad package settings", e); }
    if (!Q) { warn("questions.js is missing from the launch page"); }
    if (!L) { warn("package-launch.js is missing from the launch page"); }
    if (Q && L && cfg && cfg.pages && cfg.pages.length) { Shell(cfg); }
  }
}());
