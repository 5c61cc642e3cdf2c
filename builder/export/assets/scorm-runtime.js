/* scorm-runtime.js: connects a course package to the LMS (plain JavaScript, ES5).
 *
 * In a launch page (it holds <script id="mooc-scorm-config">), the SCO itself: finds the
 * LMS API of the package's SCORM version (walking parents, then openers, with retries),
 * initialises once, restores the learner's state, shows the SCO's pages in a frame,
 * reports status, score, interactions, bookmark, suspend_data and session time, commits,
 * and finishes exactly once when the launch page goes away. Each course page hands itself
 * over through package-page.js (window.MoocPackage, published here); what is done with the
 * pages and their quizzes is package-launch.js's, shared with cmi5-runtime.js. Without an
 * LMS, the launch page just shows the pages.
 *
 * Status and score follow course.yml's completion rule (see builder/docs/lms-import.md);
 * neither the status nor the score ever goes below what the LMS holds.
 *
 * When it saves (issue 13: Moodle lost grades when saves depended on a closing page):
 * every commit is made while the pages are alive: on connecting, when a page of the SCO
 * has loaded, after each quiz check, when the launch page is hidden, and a moment after
 * anything changed that was not committed yet (answers typed, then the page left). The
 * exit is "suspend" from the first commit on, so the LMS hands the state back on the
 * next launch even when the last save (made while the player closes) is lost. Nothing is
 * written in review or browse mode, not even the session time. How much each commit can
 * carry is bounded at export (builder/export/budget.py): the settings' `detail` says
 * which interaction fields to write (full, compact, none).
 *
 * suspend_data (compact, versioned; the builder checks its largest size at export):
 *   "M2|" + the learner's key (6 characters, base 36) + "|" + fingerprints of the pages
 *   seen (4 characters each) + "|" + quizzes joined by "~"
 *   quiz = fingerprint(4) + attempts(base 36) "." best points(base 36) "." checked(0/1) "."
 *          responses (as questions.js encodes them) joined by ","; a fingerprint changes
 *          when a quiz's questions change,
 *          so a package re-exported after an edit ignores what no longer fits.
 *   "M1|" (before issue 15) is the same without the learner's key, and is still read.
 * The learner's key, the quiz and the attempt (its number: attempts, less one when the
 * quiz shows its checked attempt) draw the questions an attempt shows (`draw`) and the
 * order of their choices (`shuffle`), in the pages (mooc.js) and here alike: both survive
 * an exit and a relaunch, on any device. The key is the saved one, else one made from
 * the LMS's learner id, else a random one.
 * Reflections are scored by nobody and stay on the learner's device (as the page says):
 * the LMS only learns that they were answered.
 */
(function () {
  "use strict";

  var FRAME_ID = "mooc-scorm-frame";
  /* The question types and the scoring rule (builder/render/assets/questions.js, loaded
   * by the launch page before this file): what a response looks like in the LMS and in
   * suspend_data, which pattern it matches, whether a quiz is passed. */
  var Q = window.MoocQuestions;
  /* The pages and their quizzes, as every package kind's launch page shows them
   * (package-launch.js, loaded after questions.js and before this file). */
  var L = window.MoocLaunch;
  var RETRIES = [100, 250, 500, 1000, 2000, 4000];  /* about 8 seconds in all */
  var COMMIT_RETRIES = [500, 1000, 2000, 4000, 8000, 15000, 30000, 60000];  /* about 2 minutes */
  var NOTICE_AFTER = 3;  /* failed commits in a row before the learner is told */
  var SETTLE = 1500;  /* ms after a change that was not committed: commit it */
  var MAX_PATTERNS = 5;  /* correct-response patterns written per interaction (budget.py) */

  function warn() {
    if (window.console && window.console.warn) {
      var args = Array.prototype.slice.call(arguments);
      args.unshift("mooc-scorm:");
      window.console.warn.apply(window.console, args);
    }
  }

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }
  function pad(n, width) { var s = String(n); while (s.length < width) { s = "0" + s; } return s; }

  /* ---------------------------------------------------------------- the LMS API */

  var FIELDS = {
    "1.2": {
      global: "API", init: "LMSInitialize", location: "cmi.core.lesson_location",
      suspend: "cmi.suspend_data", mode: "cmi.core.lesson_mode", status: "cmi.core.lesson_status",
      raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
      session: "cmi.core.session_time", exit: "cmi.core.exit", count: "cmi.interactions._count",
      learner: "cmi.core.student_id",
      response: "student_response", time: "time", wrong: "wrong", locationMax: 255,
      already: "101"
    },
    "2004": {
      global: "API_1484_11", init: "Initialize", location: "cmi.location",
      suspend: "cmi.suspend_data", mode: "cmi.mode", completion: "cmi.completion_status",
      success: "cmi.success_status", progress: "cmi.progress_measure",
      raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max", scaled: "cmi.score.scaled",
      session: "cmi.session_time", exit: "cmi.exit", count: "cmi.interactions._count",
      learner: "cmi.learner_id",
      response: "learner_response", time: "timestamp", wrong: "incorrect", locationMax: 1000,
      already: "103"
    }
  };

  function apiIn(win, f) {
    try {
      var api = win[f.global];
      if (api && typeof api[f.init] === "function") { return api; }
    } catch (e) { /* another origin */ }
    return null;
  }

  /* The API of one SCORM version only: this window, its parents, then the openers'. */
  function findApi(f) {
    function climb(win) {
      for (var depth = 0; win && depth < 16; depth++) {
        var api = apiIn(win, f);
        if (api) { return api; }
        var parent = null;
        try { parent = win.parent; } catch (e) { parent = null; }
        if (!parent || parent === win) { break; }
        win = parent;
      }
      return null;
    }
    var found = climb(window);
    var openers = [];
    try { if (window.top && window.top.opener) { openers.push(window.top.opener); } } catch (e) { /* closed */ }
    try { if (window.opener) { openers.push(window.opener); } } catch (e) { /* closed */ }
    for (var i = 0; !found && i < openers.length; i++) {
      try { found = climb(openers[i]); } catch (e) { found = null; }
      if (!found) {
        try { if (openers[i].opener) { found = climb(openers[i].opener); } } catch (e) { found = null; }
      }
    }
    return found;
  }

  /* The LMS API, defensively: a method that throws counts as a failure, every value set
   * since the last successful commit is kept ("pending") and set again before the next
   * commit when the LMS did not take it or when a commit failed. A value the LMS refuses
   * (an argument or data-model error) is logged and dropped: the others still go. */
  function Lms(api, version) {
    this.api = api;
    this.v12 = version === "1.2";
    this.f = FIELDS[version];
    this.sent = {};      /* key -> value the LMS took (SetValue said true) */
    this.pending = {};   /* key -> value not committed yet */
    this.order = [];     /* pending keys in the order first set (interaction ids first) */
    this.refused = {};   /* key -> value the LMS refused */
  }
  Lms.prototype.call = function (name12, name04, args) {
    var name = this.v12 ? name12 : name04;
    try {
      var value = this.api[name].apply(this.api, args || [""]);
      return value === undefined || value === null ? "" : String(value);
    } catch (e) {
      warn(name, "threw", e);
      return null;
    }
  };
  Lms.prototype.init = function () { return this.call("LMSInitialize", "Initialize") === "true"; };
  Lms.prototype.finish = function () { return this.call("LMSFinish", "Terminate") === "true"; };
  Lms.prototype.error = function () {
    var code = this.call("LMSGetLastError", "GetLastError", []);
    return code === null ? "" : code;
  };
  Lms.prototype.get = function (key) {
    var value = this.call("LMSGetValue", "GetValue", [key]);
    return value === null || value === "null" || value === "undefined" ? "" : value;
  };
  /* Argument and data-model errors (1.2: 201, 401-405; 2004: 201, 401-408): setting the
   * same value again cannot help. Anything else (101, 351, a throw...) may pass later. */
  function refusal(code) {
    var n = parseInt(code, 10);
    return n === 201 || (n >= 400 && n < 500);
  }
  Lms.prototype.send = function (key, value) {
    var result = this.call("LMSSetValue", "SetValue", [key, value]);
    if (result === "true") {
      this.sent[key] = value;
      return true;
    }
    delete this.sent[key];
    var code = result === null ? "" : this.error();
    if (result !== null && refusal(code)) {
      warn("the LMS refused", key, "=", value, "(error " + code + ")");
      this.refused[key] = value;
      delete this.pending[key];
    } else {
      warn("could not set", key, "(error " + (code || "thrown") + "): will try again");
    }
    return false;
  };
  /* Set a value (skipped when the LMS already took or refused the same); true when taken. */
  Lms.prototype.set = function (key, value, always) {
    value = String(value);
    if (!always && (this.sent[key] === value || this.refused[key] === value)) {
      return this.sent[key] === value;
    }
    if (!own(this.pending, key)) { this.order.push(key); }
    this.pending[key] = value;
    delete this.refused[key];
    return this.send(key, value);
  };
  Lms.prototype.dropped = function (key) { return !own(this.pending, key) && own(this.refused, key); };
  Lms.prototype.dirty = function () {
    for (var key in this.pending) { if (own(this.pending, key)) { return true; } }
    return false;
  };
  /* Set again what the LMS has not taken, then commit. After a failed commit nothing is
   * known to be stored: every pending value is set again next time. */
  /* Set again what the LMS has not taken (a refused SetValue, or a failed commit). */
  Lms.prototype.resend = function () {
    var self = this;
    this.order = this.order.filter(function (key) { return own(self.pending, key); });
    this.order.forEach(function (key) {
      if (own(self.pending, key) && self.sent[key] !== self.pending[key]) { self.send(key, self.pending[key]); }
    });
  };
  Lms.prototype.commit = function () {
    var self = this;
    this.resend();
    var result = this.call("LMSCommit", "Commit");
    if (result === "true") {
      this.order = this.order.filter(function (key) {
        if (self.sent[key] === self.pending[key]) { delete self.pending[key]; return false; }
        return own(self.pending, key);
      });
      return true;
    }
    warn("the LMS did not save (error " + (result === null ? "thrown" : this.error()) + "): will try again");
    this.order.forEach(function (key) { delete self.sent[key]; });
    return false;
  };

  /* ---------------------------------------------------------------- formats */

  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.min(9999, Math.floor(cs / 360000));
    var m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(c, 2);
  }

  function timespan04(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  function clock(date, v12) {
    var time = pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
    if (v12) { return time; }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) + "T" + time;
  }

  /* ---------------------------------------------------------------- the notice */

  /* A small live region in the launch page (role=status: polite). It stays in the page,
   * empty and without size, so screen readers announce the text when it is set. Styles go
   * through the CSSOM and the text through textContent: nothing a strict CSP blocks. */
  /* texts: the package's language's (the launch page's settings, from the builder's
   * interface strings scorm_pending, scorm_finish and scorm_off). */
  function Notice(texts) {
    texts = texts || {};
    var el = null, shown = "";
    function element() {
      if (el || !document.body) { return el; }
      el = document.createElement("div");
      el.id = "mooc-scorm-notice";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      var css = {
        position: "fixed", right: "8px", bottom: "8px", zIndex: "2147483647",
        maxWidth: "min(24rem, calc(100% - 16px))", boxSizing: "border-box", margin: "0",
        font: "14px/1.4 system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif",
        color: "#3d2e00", background: "#fff8e1", borderRadius: "4px",
        boxShadow: "0 1px 4px rgba(0,0,0,.25)", pointerEvents: "none"
      };
      for (var k in css) { if (own(css, k)) { el.style[k] = css[k]; } }
      document.body.appendChild(el);
      return el;
    }
    element();
    return {
      show: function (what) {
        var box = element();
        if (!box || shown === what) { return; }
        shown = what;
        box.style.padding = "6px 10px";
        box.style.border = "1px solid #a07800";
        box.textContent = texts[what];
      },
      hide: function () {
        var box = element();
        if (!box || !shown) { return; }
        shown = "";
        box.textContent = "";
        box.style.padding = "0";
        box.style.border = "0";
      },
      shown: function () { return shown; }
    };
  }

  /* ---------------------------------------------------------------- the launch page */

  function Shell(cfg) {
    var f = FIELDS[cfg.scorm], v12 = cfg.scorm === "1.2";
    var frame = document.getElementById(FRAME_ID);
    var quizById = {}, quizByFp = {}, pageByPath = {}, pageByFp = {};
    cfg.quizzes.forEach(function (q) { quizById[q.id] = q; quizByFp[q.fp] = q; });
    cfg.pages.forEach(function (p) { pageByPath[p.path] = p; pageByFp[p.fp] = p; });

    var state = { seen: {}, recs: {}, order: [], location: "", learner: "" };
    var lms = null, connected = false, gaveUp = false, finished = false, review = false;
    var startedAt = Date.now(), interactionCount = 0;
    var notice = Notice(cfg.notices);
    var failures = 0, retryTimer = null, retryAt = 0, settleTimer = null;
    var detail = /^(compact|minimal|quizzes|none)$/.test(cfg.detail || "") ? cfg.detail : "full";
    var perQuiz = detail === "quizzes";  /* one interaction per quiz: its score */
    var initial = { status: "", completion: "", success: "", raw: null };

    /* -- state <-> suspend_data */
    function rec(id, create) {
      if (!own(state.recs, id) && create) {
        state.recs[id] = { attempts: 0, best: 0, checked: false, responses: {} };
        state.order.push(id);
      }
      return own(state.recs, id) ? state.recs[id] : null;
    }

    function encode(withDrafts) {
      var seen = cfg.pages.filter(function (p) { return state.seen[p.path]; })
        .map(function (p) { return p.fp; }).join("");
      var entries = [];
      state.order.forEach(function (id) {
        var q = quizById[id], r = state.recs[id];
        if (!q || (!withDrafts && !r.attempts)) { return; }
        entries.push(q.fp + Math.min(r.attempts, 1295).toString(36) + "." +
          Math.min(r.best, q.max).toString(36) + "." + (r.checked ? "1" : "0") + "." +
          q.questions.map(function (qq) { return Q.encode(qq, r.responses[qq.id]); }).join(","));
      });
      return cfg.format + "|" + state.learner + "|" + seen + "|" + entries.join("~");
    }

    /* This format (M2), or M1: the same without the learner's key. */
    function decode(text) {
      if (typeof text !== "string") { return; }
      var parts = text.split("|");
      if (text.indexOf(cfg.format + "|") === 0 && parts.length === 4 && Q.isLearner(parts[1])) {
        state.learner = parts[1];
        parts.splice(1, 1);
      } else if (text.indexOf("M1|") !== 0 || parts.length !== 3) {
        return;
      }
      for (var i = 0; i + 4 <= parts[1].length; i += 4) {
        var page = pageByFp[parts[1].substr(i, 4)];
        if (page) { state.seen[page.path] = true; }
      }
      var checked = [], drafts = [];
      (parts[2] ? parts[2].split("~") : []).forEach(function (entry) {
        try {
          var q = quizByFp[entry.slice(0, 4)];
          if (!q || own(state.recs, q.id)) { return; }
          var bits = entry.slice(4).split(".");
          if (bits.length < 4) { return; }
          var answers = bits.slice(3).join(".").split(",");
          if (answers.length !== q.questions.length) { return; }
          var r = {
            attempts: parseInt(bits[0], 36) || 0,
            best: Math.min(parseInt(bits[1], 36) || 0, q.max),
            checked: bits[2] === "1", responses: {}
          };
          q.questions.forEach(function (qq, k) {
            var value = Q.decode(qq, answers[k]);
            if (value !== null) { r.responses[qq.id] = value; }
          });
          if (r.checked && !r.attempts) { r.attempts = 1; }
          state.recs[q.id] = r;
          (r.attempts ? checked : drafts).push(q.id);
        } catch (e) {
          warn("ignored a saved quiz", e);
        }
      });
      state.order = checked.concat(drafts);
    }

    /* -- the completion rule (course.yml `completion`, `pass_mark`) */
    function evaluate() {
      var pagesSeen = cfg.pages.filter(function (p) { return state.seen[p.path]; }).length;
      var scored = cfg.quizzes.filter(function (q) { return q.max > 0; });
      var best = 0, max = 0, attempted = 0, passed = 0;
      scored.forEach(function (q) {
        var r = state.recs[q.id];
        max += q.max;
        if (r && r.attempts) {
          attempted += 1;
          best += Math.min(r.best, q.max);
          /* the quiz rule (mooc.js score): the whole percentage meets the pass mark */
          if (Q.passed(Q.percent(r.best, q.max), q.passMark)) { passed += 1; }
        }
      });
      var quizzesMet = cfg.quizRule === "attempted" ? attempted : passed;
      var complete = (!cfg.pageSeen || pagesSeen === cfg.pages.length) && quizzesMet === scored.length;
      var raw = max ? Q.percent(best, max) : null;
      var pass = raw !== null && Q.passed(raw, cfg.passMark);
      var needs = (cfg.pageSeen ? cfg.pages.length : 0) + scored.length;
      var met = (cfg.pageSeen ? pagesSeen : 0) + quizzesMet;
      return {
        complete: complete, raw: raw, attempted: attempted, scored: scored.length,
        passed: pass, finished: complete && (raw === null || pass),
        progress: complete ? 1 : (needs ? Math.floor(100 * met / needs) / 100 : 0),
        status: !complete ? "incomplete" : (raw === null ? "completed" : (pass ? "passed" : "failed")),
        success: raw === null || attempted < scored.length ? "unknown" :
          (pass && complete ? "passed" : (pass ? "unknown" : "failed"))
      };
    }

    var RANK = { "passed": 3, "completed": 3, "failed": 2, "incomplete": 1 };
    function rank(status) { return RANK[status] || 0; }

    /* Whether the LMS already holds a better result than this state (never go back). */
    function effective(ev) {
      if (v12) {
        return rank(initial.status) > rank(ev.status) ? initial.status : ev.status;
      }
      return {
        completion: initial.completion === "completed" ? "completed" : (ev.complete ? "completed" : "incomplete"),
        success: initial.success === "passed" ? "passed" : ev.success
      };
    }

    /* -- writing to the LMS */
    function update() {
      if (!connected || finished || review) { return; }
      var ev = evaluate(), eff = effective(ev);
      if (ev.raw !== null && ev.attempted > 0) {
        var raw = Math.max(ev.raw, initial.raw || 0);  /* never lower than the LMS holds */
        lms.set(f.min, "0");
        lms.set(f.max, "100");
        lms.set(f.raw, String(raw));
        if (!v12) { lms.set(f.scaled, String(raw / 100)); }
      }
      if (v12) {
        lms.set(f.status, eff);
      } else {
        lms.set(f.completion, eff.completion);
        if (eff.success !== "unknown") { lms.set(f.success, eff.success); }
        lms.set(f.progress, String(eff.completion === "completed" ? 1 : ev.progress));
      }
      if (state.location && state.location.length <= f.locationMax) { lms.set(f.location, state.location); }
      var data = encode(true);
      if (data.length > cfg.limit) { data = encode(false); }
      if (data.length <= cfg.limit) {
        lms.set(f.suspend, data);
      } else {
        warn("suspend_data would be", data.length, "characters; not saved");
      }
    }

    /* A commit that fails is tried again later (bounded backoff) and at every save; the
     * learner is told after a few failures in a row, until one succeeds. */
    function committed(ok) {
      if (ok) {
        failures = 0;
        retryAt = 0;
        if (retryTimer !== null) { window.clearTimeout(retryTimer); retryTimer = null; }
        notice.hide();
        return true;
      }
      failures += 1;
      if (failures >= NOTICE_AFTER) { notice.show("pending"); }
      if (retryTimer === null && retryAt < COMMIT_RETRIES.length && !finished) {
        retryTimer = window.setTimeout(function () {
          retryTimer = null;
          if (connected && !finished) { save(); }
        }, COMMIT_RETRIES[retryAt++]);
      }
      return false;
    }

    function sessionTime() {
      lms.set(f.session, v12 ? timespan12(Date.now() - startedAt) : timespan04(Date.now() - startedAt));
    }

    /* Nothing is written in review or browse mode: no values, no session time, no commit. */
    function commit() {
      if (!connected || finished || review) { return true; }
      if (settleTimer !== null) { window.clearTimeout(settleTimer); settleTimer = null; }
      sessionTime();
      return committed(lms.commit());
    }

    function save() { update(); commit(); }

    /* A change made while a page was going away: committed a moment later, from the
     * launch page, which is alive (a commit made while a frame unloads is sent, if at
     * all, by sendBeacon, and Moodle's normal save fails there). */
    function later() {
      if (settleTimer !== null || !connected || finished || review) { return; }
      settleTimer = window.setTimeout(function () {
        settleTimer = null;
        if (connected && !finished && lms.dirty()) { commit(); }
      }, SETTLE);
    }

    /* -- interactions: one per question of each checked quiz, in a block per quiz */
    function blockStart(quizId) {
      var at = 0;
      for (var i = 0; i < state.order.length; i++) {
        var id = state.order[i];
        if (id === quizId) { return at; }
        if (state.recs[id].attempts && quizById[id]) { at += perQuiz ? 1 : quizById[id].questions.length; }
      }
      return at;
    }

    /* Whether a response matches a correct pattern (when the page did not say). */
    function judged(q, r) { return Q.matchPattern(q, r, v12) >= 0; }

    /* The correct-response patterns to write: at most MAX_PATTERNS; when the learner's
     * answer matches one past them (a fill-in may accept more), that one comes first so
     * the LMS's record agrees with the result. */
    function patterns(q, response) {
      if (q.cr.length <= MAX_PATTERNS) { return q.cr; }
      var matched = Q.matchPattern(q, response, v12);
      if (matched < MAX_PATTERNS) { return q.cr.slice(0, MAX_PATTERNS); }
      return [q.cr[matched]].concat(q.cr.slice(0, MAX_PATTERNS - 1));
    }

    /* One question as an interaction, with the fields of the package's level of detail
     * (budget.py counts exactly these). */
    function writeInteraction(index, q, response, ok, latencyMs, when) {
      if (detail === "none") { return false; }
      var full = detail === "full";
      var p = "cmi.interactions." + index + ".";
      if (!lms.set(p + "id", q.iid, true) && lms.dropped(p + "id")) { return false; }
      lms.set(p + "type", q.itype, true);
      if (full) {
        lms.set(p + f.time, clock(when, v12), true);
        if (q.points) { lms.set(p + "weighting", String(q.points), true); }
        if (!v12 && q.desc) {
          lms.set(p + "description", q.desc.charAt(0) === "{" ? "{lang=" + cfg.lang + "}" + q.desc : q.desc, true);
        }
      }
      if (detail !== "minimal") {
        patterns(q, response).forEach(function (pattern, k) {
          lms.set(p + "correct_responses." + k + ".pattern", pattern, true);
        });
        var formatted = Q.format(q, response, v12, cfg.lang);
        if (formatted !== null) { lms.set(p + f.response, formatted, true); }
      }
      lms.set(p + "result", !Q.scored(q) ? "neutral" : (ok ? "correct" : f.wrong), true);
      if (full) { lms.set(p + "latency", v12 ? timespan12(latencyMs) : timespan04(latencyMs), true); }
      interactionCount = Math.max(interactionCount, index + 1);
      return true;
    }

    /* A question the attempt did not show (`draw`) keeps its place in the quiz's block, so
     * that every question always has the same interaction: it is written (id, type,
     * "neutral") only when its place is new, and otherwise keeps what the LMS holds from
     * the last attempt that showed it. */
    function writeUnshown(index, q) {
      if (index < interactionCount) { return; }
      var p = "cmi.interactions." + index + ".";
      if (!lms.set(p + "id", q.iid, true) && lms.dropped(p + "id")) { return; }
      lms.set(p + "type", q.itype, true);
      lms.set(p + "result", "neutral", true);
      interactionCount = Math.max(interactionCount, index + 1);
    }

    /* The questions the attempt of a saved quiz showed. */
    function shownFor(quiz, r) {
      return Q.shownIn(quiz, state.learner, Q.round(r));
    }

    /* A whole quiz as one interaction (the `quizzes` level of detail): its percentage in
     * this check as a numeric response, correct when it meets the quiz's pass mark. */
    function writeQuizResult(index, quiz, answers) {
      var p = "cmi.interactions." + index + ".", points = 0;
      quiz.questions.forEach(function (q) {
        var a = answers[q.id] || {};
        var ok = typeof a.correct === "boolean" ? a.correct : judged(q, a.response);
        if (Q.scored(q) && ok) { points += q.points; }
      });
      if (!lms.set(p + "id", quiz.iid, true) && lms.dropped(p + "id")) { return; }
      lms.set(p + "type", "numeric", true);
      if (quiz.max) {
        var percent = Q.percent(points, quiz.max);
        lms.set(p + f.response, String(percent), true);
        lms.set(p + "result", Q.passed(percent, quiz.passMark) ? "correct" : f.wrong, true);
      } else {
        lms.set(p + "result", "neutral", true);
      }
      interactionCount = Math.max(interactionCount, index + 1);
    }

    /* A checked quiz's interactions, at the level of detail of the package; `shown`: the
     * questions its attempt showed (`draw`). */
    function writeQuiz(start, quiz, answers, when, shown) {
      if (perQuiz) { writeQuizResult(start, quiz, answers); return; }
      quiz.questions.forEach(function (q, k) {
        var a = answers[q.id] || {};
        if (!shown[q.id]) { writeUnshown(start + k, q); return; }
        var ok = typeof a.correct === "boolean" ? a.correct : judged(q, a.response);
        writeInteraction(start + k, q, a.response, ok, a.latencyMs || 0, when);
      });
    }

    function writeBlock(quiz, answers, when, shown) {
      if (detail === "none") { return; }
      var start = blockStart(quiz.id);
      if (start > interactionCount) {  /* the LMS lost earlier ones: write them again */
        state.order.forEach(function (id) {
          var other = quizById[id], r = state.recs[id];
          if (id === quiz.id || !other || !r.attempts || blockStart(id) >= start) { return; }
          var stored = {};
          other.questions.forEach(function (qq) { stored[qq.id] = { response: r.responses[qq.id] }; });
          writeQuiz(blockStart(id), other, stored, when, shownFor(other, r));
        });
      }
      writeQuiz(start, quiz, answers, when, shown);
    }

    /* -- the pages and their quizzes (package-launch.js); what the LMS learns of them */
    var pages = L.pages({
      state: state, quizById: quizById, pageByPath: pageByPath, rec: rec, warn: warn,
      connected: function () { return connected; },
      over: function () { return finished; },
      checked: checked,
      restoring: function (quiz, r) {  /* every quiz, with its best result once checked */
        var percent = r && r.attempts ? Q.percent(r.best, quiz.max) : 0;
        return {
          checked: r ? r.checked : false, attempts: r ? r.attempts : 0,
          best: r && r.attempts ? { percent: percent, passed: Q.passed(percent, quiz.passMark) } : null
        };
      },
      attached: function (path) { state.location = path; },
      /* A page of the SCO goes away (the learner opens another): its drafts are committed
       * once the next page has loaded (attach) or a moment later, never now. */
      left: function () { update(); later(); },
      save: save
    });
    var collectDrafts = pages.collectDrafts;

    function checked(quiz, detail, first) {
      if (first) {  /* keep checked quizzes first, in the order of their first check */
        state.order.splice(state.order.indexOf(quiz.id), 1);
        var at = 0;
        while (at < state.order.length && state.recs[state.order[at]].attempts) { at++; }
        state.order.splice(at, 0, quiz.id);
      }
      if (connected && !review) {
        var answers = {}, shown = {};
        (detail.questions || []).forEach(function (item) {
          answers[item.id] = item;
          if (item.shown !== false) { shown[item.id] = true; }
        });
        writeBlock(quiz, answers, new Date(), shown);
      }
      save();
    }

    function open(path) {
      if (!own(pageByPath, path)) { path = cfg.pages[0].path; }
      frame.setAttribute("src", path);
    }

    /* -- session */
    /* true when done (connected, or given up); false to try again later. An LMS that
     * refuses to start is asked again with the same retries as a missing API. */
    function connect(last) {
      if (connected || gaveUp) { return true; }
      var api = findApi(f);
      if (!api) { return false; }
      lms = new Lms(api, cfg.scorm);
      if (!lms.init()) {
        var code = lms.error();
        if (code !== f.already) {
          if (!last) { return false; }
          warn("the LMS refused to start (error " + (code || "thrown") + "): the pages work, nothing is saved");
          gaveUp = true;
          notice.show("off");
          return true;
        }
      }
      connected = true;
      var mode = lms.get(f.mode);
      review = mode === "review" || mode === "browse";
      if (v12) {
        initial.status = lms.get(f.status);
      } else {
        initial.completion = lms.get(f.completion);
        initial.success = lms.get(f.success);
      }
      var raw = parseFloat(lms.get(f.raw));
      initial.raw = isNaN(raw) ? null : Math.min(100, Math.max(0, raw));
      try { decode(lms.get(f.suspend)); } catch (e) { warn("ignored the saved state", e); }
      if (!state.learner) {
        var who = lms.get(f.learner);
        state.learner = who ? Q.learnerFrom(cfg.course + "/" + who) : Q.learner();
      }
      var location = lms.get(f.location);
      if (own(pageByPath, location)) { state.location = location; }
      try { interactionCount = parseInt(lms.get(f.count), 10) || 0; } catch (e) { interactionCount = 0; }
      if (!review) {
        if (v12 && rank(initial.status) === 0) { lms.set(f.status, "incomplete"); initial.status = "incomplete"; }
        if (!v12 && (initial.completion === "not attempted" || initial.completion === "unknown" || !initial.completion)) {
          lms.set(f.completion, "incomplete");
        }
        /* From the first commit on: the next launch resumes, whatever happens to the last
         * save. Kept once the attempt is complete too, so the learner finds their answers
         * when they come back to review them. */
        lms.set(f.exit, "suspend");
        committed(lms.commit());
      }
      return true;
    }

    /* Exactly once, whatever the LMS answers, as the launch page goes away. Everything was
     * committed while the pages were alive; what changed since (answers typed on the last
     * page, the session time) is set, then LMSFinish/Terminate stores it: no separate
     * commit, because a page that closes has one save to send (Moodle sends it by
     * sendBeacon, and the beacons of one page share 64 KiB). Nothing is scheduled after
     * it. In review mode: only LMSFinish/Terminate. */
    function finish() {
      if (finished) { return; }
      if (retryTimer !== null) { window.clearTimeout(retryTimer); retryTimer = null; }
      if (settleTimer !== null) { window.clearTimeout(settleTimer); settleTimer = null; }
      if (connected) {
        if (!review) {
          try { collectDrafts(); } catch (e) { warn("drafts", e); }
          try { update(); } catch (e) { warn("finish", e); }
          lms.resend();  /* what a failed commit left unsaved */
          sessionTime();
        }
        finished = true;
        if (!lms.finish()) {
          warn("the LMS did not end the session (error " + lms.error() + ")");
          notice.show("finish");
        }
      }
      finished = true;
    }

    window.MoocScorm = {
      shell: true, version: cfg.scorm, attach: pages.attach, leave: pages.leave, finish: finish,
      connected: function () { return connected; },
      debug: function () {
        return {
          state: clone(state), suspend: encode(true), evaluation: evaluate(), finished: finished,
          page: pages.current() ? pages.current().path : null
        };
      }
    };
    window.MoocPackage = window.MoocScorm;  /* for the pages (package-page.js) */

    window.addEventListener("pagehide", finish);
    /* Hidden (another tab, the phone's home screen, or the player closing): what changed is
     * committed a moment later, when the page is still there (another tab); when the player
     * closes, finish() comes first and LMSFinish/Terminate stores it. */
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "hidden" || !connected || finished || review) { return; }
      collectDrafts();
      update();
      later();
    });

    if (connect()) {
      open(state.location || cfg.pages[0].path);
    } else {
      open(cfg.pages[0].path);  /* never a blank page: show the course, keep looking */
      var attempt = 0;
      var retry = function () {
        if (finished || connect(attempt >= RETRIES.length)) {
          var current = pages.current();
          if (connected && !finished) {
            if (state.location && (!current || state.location !== current.path)) {
              open(state.location);  /* the bookmark, even if the first page is still loading */
            } else if (current) {
              pages.applyToPage(current.win);
              state.seen[current.path] = true;
              save();
            }
          }
          return;
        }
        if (attempt < RETRIES.length) { window.setTimeout(retry, RETRIES[attempt++]); }
      };
      window.setTimeout(retry, RETRIES[attempt++]);
    }
  }

  var configEl = document.getElementById("mooc-scorm-config");
  if (configEl) {
    var cfg = null;
    try { cfg = JSON.parse(configEl.textContent); } catch (e) { warn("bad package settings", e); }
    if (!Q) { warn("questions.js is missing from the launch page"); }
    if (!L) { warn("package-launch.js is missing from the launch page"); }
    if (Q && L && cfg && FIELDS[cfg.scorm] && cfg.pages && cfg.pages.length) { Shell(cfg); }
  }
}());
