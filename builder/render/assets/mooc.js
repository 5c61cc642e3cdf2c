/* mooc.js: enhances the quizzes rendered by the builder (plain JavaScript, no framework).
 *
 * The server renders every quiz as a real form; this script checks answers, shows the
 * feedback, keeps answers in localStorage (versioned) and tells other code (the SCORM
 * runtime, the progress page) through `window.MoocQuiz` and `mooc:quiz-checked` events.
 * What differs between question types, and the scoring rule, come from questions.js
 * (window.MoocQuestions), loaded before this script.
 * It never builds HTML from strings: every text goes through textContent.
 *
 * Per learner and attempt (issue 15): the learner's key (a random one kept in this
 * browser, or the LMS's, given by the SCORM runtime through MoocQuiz.learner) with the
 * quiz and the attempt draws the questions shown (`draw`) and the order of choices and
 * items (`shuffle`); `attempts` locks the quiz once used up, its best result kept;
 * `showAnswers` says when correct answers, explanations and per-choice feedback show.
 */
(function () {
  "use strict";

  var Q = window.MoocQuestions;
  var STATE_VERSION = 1;
  var listeners = [];
  var quizzes = [];

  /* ---------- storage that never throws (private mode, file://, full quota) */
  var memory = {};
  var store = {
    get: function (key) {
      try {
        var raw = window.localStorage.getItem(key);
        return raw === null ? null : JSON.parse(raw);
      } catch (e) {
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      }
    },
    set: function (key, value) {
      memory[key] = value;
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* kept in memory */ }
    },
    remove: function (key) {
      delete memory[key];
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
    }
  };

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  /* The learner's key in this browser, per course (progress files carry it too), unless
   * the LMS gave one (a package: MoocQuiz.learner). */
  var given = null;
  function learnerKey(course) {
    if (given) { return given; }
    var key = "mooc:v" + STATE_VERSION + ":" + course + ":learner";
    var value = store.get(key);
    if (!Q.isLearner(value)) {
      value = Q.learner();
      store.set(key, value);
    }
    return value;
  }

  /* ---------- one quiz */
  function Quiz(section) {
    this.el = section;
    this.key = JSON.parse(section.querySelector(".mooc-quiz__key").textContent);
    this.t = this.key.t || {};
    this.id = this.key.quiz;
    this.storageKey = "mooc:v" + STATE_VERSION + ":" + (section.getAttribute("data-course") || "") +
      ":" + (section.getAttribute("data-lang") || "") + ":quiz:" + this.id;
    this.form = section.querySelector("form");
    this.result = section.querySelector(".mooc-quiz__result");
    this.state = this.load();
    this.byId = {};
    this.questions = {};
    var self = this;
    /* The ordering lists as rendered, so that Reset can put the items back. */
    this.orders = Array.prototype.map.call(section.querySelectorAll(".mooc-order"), function (list) {
      return { list: list, items: Array.prototype.slice.call(list.children) };
    });
    this.key.questions.forEach(function (q) {
      self.byId[q.id] = section.querySelector('fieldset[data-question="' + q.id + '"]');
      self.questions[q.id] = q;
    });
    this.course = section.getAttribute("data-course") || "";
    this.bind();
    this.restore();
  }

  /* The questions this attempt shows (draw), in the order of its choices (shuffle). */
  Quiz.prototype.arrange = function () {
    var self = this, learner = learnerKey(this.course), n = Q.round(this.state), number = 0;
    this.shown = Q.shownIn(this.key, learner, n);
    this.key.questions.forEach(function (q) {
      var fs = self.fieldset(q), on = !!self.shown[q.id];
      fs.hidden = !on;
      fs.disabled = !on;
      if (!on) { return; }
      number += 1;
      var label = fs.querySelector(".mooc-q__number");
      if (label && self.t.question) { label.textContent = fmt(self.t.question, { n: number }); }
      Q.arrange(fs, q, learner, self.id, n);
    });
    this.updateAllMoves();
  };

  /* Attempts left (Infinity: no limit). */
  Quiz.prototype.left = function () {
    return this.key.attempts ? Math.max(0, this.key.attempts - (this.state.attempts || 0)) : Infinity;
  };

  /* Whether the correct answers, explanations and per-choice feedback show now. */
  Quiz.prototype.reveals = function () {
    var when = this.key.showAnswers || "always";
    if (when === "after_pass") { return !!(this.state.best && this.state.best.passed); }
    if (when === "after_last_attempt") { return this.left() === 0; }
    return when !== "never";
  };

  Quiz.prototype.load = function () {
    var s = store.get(this.storageKey);
    if (!s || s.v !== STATE_VERSION || typeof s.responses !== "object") {
      return { v: STATE_VERSION, responses: {}, times: {}, checked: false, attempts: 0, best: null };
    }
    s.times = s.times || {};
    return s;
  };

  Quiz.prototype.save = function () { store.set(this.storageKey, this.state); };

  Quiz.prototype.fieldset = function (q) { return this.byId[q.id]; };

  Quiz.prototype.read = function (q) {
    var h = Q.handler(q);
    return h ? h.read(this.fieldset(q)) : null;
  };

  Quiz.prototype.write = function (q, response) {
    var h = Q.handler(q), fs = this.fieldset(q);
    if (!h || ((response === null || response === undefined) && !h.bind)) { return; }
    h.write(fs, response === undefined ? null : response, this.t);
    this.updateMoves(fs);
  };

  Quiz.prototype.bind = function () {
    var self = this;
    this.form.addEventListener("submit", function (ev) { ev.preventDefault(); self.check(); });
    this.el.querySelector('[data-action="retry"]').addEventListener("click", function () { self.retry(); });
    this.el.querySelector('[data-action="reset"]').addEventListener("click", function () { self.reset(); });
    this.form.addEventListener("change", function (ev) { self.touched(ev.target); });
    this.form.addEventListener("input", function (ev) { self.touched(ev.target); });
    this.orders.forEach(function (o) {
      o.list.addEventListener("click", function (ev) {
        var btn = ev.target.closest ? ev.target.closest("button[data-move]") : null;
        if (btn) { self.move(btn); }
      });
    });
    this.bindNotes();
    this.key.questions.forEach(function (q) {
      var h = Q.handler(q), fs = self.fieldset(q);
      if (h && h.bind) { h.bind(fs, q, self); }
      var tip = fs.querySelector('[data-action="hint"]');
      if (tip) { tip.addEventListener("click", function () { self.hint(tip); }); }
    });
    this.updateAllMoves();
  };

  /* "Clear my notes" (a quiz with reflections): what the learner typed stays in this
   * browser only, so on a shared computer they can erase it. Asked in the page (no
   * window.confirm, which an LMS's frame may block), the result read out by a live
   * region; Escape keeps the notes. */
  Quiz.prototype.bindNotes = function () {
    var self = this, box = this.el.querySelector("[data-notes]");
    if (!box) { return; }
    var ask = box.querySelector("[data-notes-confirm]"), status = box.querySelector("[data-notes-status]");
    var open = box.querySelector('[data-action="clear-notes"]');
    var yes = box.querySelector('[data-action="clear-notes-yes"]');
    var no = box.querySelector('[data-action="clear-notes-no"]');
    function close(focus) {
      ask.hidden = true;
      open.setAttribute("aria-expanded", "false");
      if (focus) { open.focus(); }
    }
    open.addEventListener("click", function () {
      status.textContent = "";
      ask.hidden = false;
      open.setAttribute("aria-expanded", "true");
      yes.focus();
    });
    no.addEventListener("click", function () { close(true); });
    ask.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { ev.preventDefault(); close(true); }
    });
    yes.addEventListener("click", function () {
      self.clearNotes();
      close(true);
      status.textContent = self.t.notes_cleared || "";
    });
    box.hidden = false;
  };

  /* Erase the reflections' text of this quiz on this device; the rest stays. */
  Quiz.prototype.clearNotes = function () {
    var self = this;
    this.key.questions.forEach(function (q) {
      if (q.type !== "reflection") { return; }
      delete self.state.responses[q.id];
      if (self.state.times) { delete self.state.times[q.id]; }
      var fs = self.fieldset(q), area = fs.querySelector("textarea");
      if (area) { area.value = ""; }
      if (self.state.checked) {
        var status = fs.querySelector(".mooc-q__status");
        if (status) { status.textContent = self.t.unanswered; }
        var model = fs.querySelector(".mooc-q__explanation");
        if (model) { model.hidden = true; }
      }
    });
    this.save();
    this.emit("mooc:notes-cleared");
  };

  /* The author's hint: shown in its live region (read out), or taken away. */
  Quiz.prototype.hint = function (button) {
    var box = document.getElementById(button.getAttribute("aria-controls"));
    var source = button.parentNode.querySelector("template");
    if (!box || !source) { return; }
    var open = button.getAttribute("aria-expanded") === "true";
    while (box.firstChild) { box.removeChild(box.firstChild); }
    if (!open) { box.appendChild(source.content.cloneNode(true)); }
    button.setAttribute("aria-expanded", open ? "false" : "true");
  };

  /* Remember when each question was last answered (SCORM latency) and the draft answers. */
  Quiz.prototype.touched = function (target) {
    var fs = target && target.closest ? target.closest("fieldset[data-question]") : null;
    if (!fs || this.state.checked) { return; }
    var qid = fs.getAttribute("data-question");
    var now = Date.now();
    if (!this.state.started) { this.state.started = now; }
    this.state.times[qid] = now;
    this.state.responses[qid] = this.read(this.questions[qid]);
    this.save();
  };

  Quiz.prototype.move = function (btn) {
    var li = btn.closest("li"), list = li.parentNode, delta = Number(btn.getAttribute("data-move"));
    var sibling = delta < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) { return; }
    list.insertBefore(li, delta < 0 ? sibling : sibling.nextElementSibling);
    var fs = list.closest("fieldset");
    this.updateMoves(fs);
    var items = Array.prototype.slice.call(list.children);
    var pos = items.indexOf(li) + 1;
    var live = fs.querySelector("[data-live]");
    if (live) {
      live.textContent = fmt(this.t.moved || "{item}: {pos}/{total}",
        { item: li.querySelector(".mooc-order__text").textContent, pos: pos, total: items.length });
    }
    (btn.disabled ? li.querySelector(delta < 0 ? ".mooc-order__down" : ".mooc-order__up") : btn).focus();
    this.touched(li);
  };

  Quiz.prototype.updateMoves = function (fs) {
    if (!fs) { return; }
    var items = fs.querySelectorAll(".mooc-order__item");
    var locked = this.state && this.state.checked;
    items.forEach(function (li, i) {
      li.querySelector(".mooc-order__up").disabled = locked || i === 0;
      li.querySelector(".mooc-order__down").disabled = locked || i === items.length - 1;
    });
  };

  Quiz.prototype.updateAllMoves = function () {
    var self = this;
    this.orders.forEach(function (o) { self.updateMoves(o.list.closest("fieldset")); });
  };

  Quiz.prototype.setLocked = function (locked) {
    var self = this, spent = this.left() === 0;
    this.form.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = locked; });
    this.el.querySelector('[data-action="check"]').hidden = locked;
    this.el.querySelector('[data-action="retry"]').hidden = !locked || spent;
    /* with a limit, Reset erases answers, never attempts; once they are spent: nothing */
    this.el.querySelector('[data-action="reset"]').hidden = spent;
    this.key.questions.forEach(function (q) {
      var h = Q.handler(q);
      if (h && h.lock && self.shown[q.id]) { h.lock(self.fieldset(q), locked, self.t); }
    });
    this.updateAllMoves();
  };

  Quiz.prototype.check = function () {
    var self = this, responses = {};
    if (this.left() === 0) { return; }
    this.key.questions.forEach(function (q) { responses[q.id] = self.shown[q.id] ? self.read(q) : null; });
    var result = Q.score(this.key, responses, this.shown);
    this.state.responses = responses;
    this.state.checked = true;
    this.state.attempts = (this.state.attempts || 0) + 1;
    this.state.result = result;
    this.state.checkedAt = Date.now();
    if (!this.state.best || !(result.percent <= this.state.best.percent)) {
      this.state.best = { score: result.score, max: result.max, percent: result.percent, passed: result.passed };
    }
    this.save();
    this.show(result);
    this.result.focus();
    this.emit("mooc:quiz-checked");
  };

  Quiz.prototype.show = function (result) {
    var self = this, t = this.t, reveals = this.reveals();
    this.key.questions.forEach(function (q) {
      if (!self.shown[q.id]) { return; }
      var fs = self.fieldset(q), status = fs.querySelector(".mooc-q__status");
      var response = self.state.responses[q.id];
      fs.classList.remove("mooc-q--correct", "mooc-q--incorrect", "mooc-q--answered");
      var text;
      if (!Q.scored(q)) {
        text = response ? t.answered : t.unanswered;
        fs.classList.add("mooc-q--answered");
        if (response) { self.reveal(fs.querySelector(".mooc-q__explanation")); }
      } else {
        var ok = result.questions[q.id];
        fs.classList.add(ok ? "mooc-q--correct" : "mooc-q--incorrect");
        text = response === null || response === undefined ? t.unanswered : (ok ? t.correct : t.incorrect);
        if (!ok && reveals) { text += ". " + self.correctText(q); }
        if (reveals) { self.reveal(fs.querySelector(".mooc-q__explanation")); }
      }
      status.textContent = text;
      status.hidden = false;
      if (!reveals) { return; }
      fs.querySelectorAll("input:checked").forEach(function (i) {
        var fb = document.getElementById(i.id + "-fb");
        if (fb) { self.reveal(fb); i.setAttribute("aria-describedby", fb.id); }
      });
    });
    var lines = [];
    if (result.max) {
      lines.push(fmt(t.score, result));
      lines.push(result.passed ? t.passed : fmt(t.failed, { pass: this.key.passMark }));
    }
    lines.push(fmt(t.attempts, { n: this.state.attempts }));
    var left = this.left();
    if (left === 0) {
      lines.push(fmt(t.attempts_none_left, { percent: this.state.best ? this.state.best.percent : result.percent }));
    } else if (left !== Infinity) {
      lines.push(fmt(left === 1 ? t.attempts_left_one : t.attempts_left, { n: left }));
    }
    if (!reveals && result.max) {
      lines.push({ after_pass: t.answers_after_pass, after_last_attempt: t.answers_after_last,
                   never: t.answers_never }[this.key.showAnswers] || "");
    }
    this.result.textContent = lines.join(" ");
    this.result.className = "mooc-quiz__result " + (result.passed ? "mooc-quiz__result--passed" : "mooc-quiz__result--failed");
    this.setLocked(true);
  };

  Quiz.prototype.reveal = function (el) { if (el) { el.hidden = false; } };

  Quiz.prototype.correctText = function (q) {
    var h = Q.handler(q);
    return h ? this.t.correct_answer + " " + h.correctText(this.fieldset(q), q, this.t) : "";
  };

  Quiz.prototype.clearFeedback = function () {
    this.el.querySelectorAll(".mooc-q__status, .mooc-q__explanation, .mooc-choice__feedback")
      .forEach(function (el) { el.hidden = true; });
    this.el.querySelectorAll("fieldset[data-question]").forEach(function (fs) {
      fs.classList.remove("mooc-q--correct", "mooc-q--incorrect", "mooc-q--answered");
    });
    this.el.querySelectorAll("input[aria-describedby]").forEach(function (i) { i.removeAttribute("aria-describedby"); });
    this.result.textContent = "";
    this.result.className = "mooc-quiz__result";
  };

  /* Try again: the next attempt (its own draw and order), the answers kept, unlocked,
   * the feedback hidden. */
  Quiz.prototype.retry = function () {
    if (this.left() === 0) { return; }
    this.state.checked = false;
    this.state.started = Date.now();
    this.save();
    this.clearFeedback();
    this.restore();
    var first = this.form.querySelector("fieldset:not([hidden]) input, fieldset:not([hidden]) select, " +
      "fieldset:not([hidden]) textarea, fieldset:not([hidden]) button[data-move]:not([disabled]), " +
      "fieldset:not([hidden]) .mooc-scn__pick:not([disabled])");
    if (first) { first.focus(); }
  };

  /* Reset: forget this quiz on this device; with a limit of attempts, the attempts made
   * and the best result stay (and the next attempt starts). */
  Quiz.prototype.reset = function () {
    if (this.state.attempts && !window.confirm(this.t.reset_confirm)) { return; }
    var kept = this.key.attempts ? { attempts: this.state.attempts, best: this.state.best } : null;
    store.remove(this.storageKey);
    this.state = this.load();
    if (kept && kept.attempts) {
      this.state.attempts = kept.attempts;
      this.state.best = kept.best;
      this.save();
    }
    this.form.reset();
    this.orders.forEach(function (o) {
      o.items.forEach(function (li) { o.list.appendChild(li); });
      var live = o.list.parentNode.querySelector("[data-live]");
      if (live) { live.textContent = ""; }
    });
    this.clearFeedback();
    this.restore();
    this.emit("mooc:quiz-reset");
  };

  /* The state shown: this attempt's questions and order, the answers, the result. */
  Quiz.prototype.restore = function () {
    var self = this;
    this.arrange();
    this.key.questions.forEach(function (q) { self.write(q, self.state.responses[q.id]); });
    this.setLocked(false);
    if (this.state.checked && this.state.result) {
      this.show(Q.score(this.key, this.state.responses, this.shown));
    } else if (this.left() === 0) {  /* spent, without a result to show (imported) */
      this.setLocked(true);
    }
  };

  Quiz.prototype.summary = function () {
    var self = this, s = this.state;
    var result = Q.score(this.key, s.responses || {}, this.shown);
    var previous = s.started || s.checkedAt || 0;
    var questions = this.key.questions.map(function (q) {
      var at = (s.times && s.times[q.id]) || 0;
      var item = {
        id: q.id, type: q.type, points: q.points, response: s.responses[q.id] === undefined ? null : s.responses[q.id],
        correct: Q.scored(q) ? !!result.questions[q.id] : null, shown: !!self.shown[q.id],
        scored: Q.scored(q),
        latencyMs: at && previous ? Math.max(0, at - previous) : 0
      };
      if (at) { previous = at; }
      return item;
    });
    return {
      quiz: this.id, lang: this.el.getAttribute("data-lang"), checked: !!s.checked,
      attempts: s.attempts || 0, round: Q.round(s), score: result.score, max: result.max, percent: result.percent,
      passed: !!s.checked && result.passed, best: s.best, passMark: this.key.passMark,
      questions: questions, key: this.key
    };
  };

  Quiz.prototype.emit = function (name) {
    var detail = this.summary();
    listeners.forEach(function (cb) { try { cb(name, detail); } catch (e) { /* a listener's bug */ } });
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  };

  function init() {
    document.querySelectorAll("section.mooc-quiz").forEach(function (section) {
      if (section.getAttribute("data-ready")) { return; }
      try {
        quizzes.push(new Quiz(section));
        section.setAttribute("data-ready", "true");
      } catch (e) {
        if (window.console) { window.console.error("mooc: quiz not enhanced", e); }
      }
    });
  }

  /* The small API the SCORM runtime and the progress page use. */
  window.MoocQuiz = {
    version: STATE_VERSION,
    all: function () { return quizzes.map(function (q) { return q.summary(); }); },
    on: function (cb) { listeners.push(cb); },
    normalise: Q.normalise,
    score: Q.score,
    /* The LMS's learner key (a package's runtime): every quiz of the page in its order. */
    learner: function (key) {
      if (!Q.isLearner(key) || key === given) { return; }
      given = key;
      quizzes.forEach(function (q) { q.clearFeedback(); q.restore(); });
    },
    restore: function (quizId, responses, checked, attempts, best) {
      quizzes.forEach(function (q) {
        if (q.id !== quizId) { return; }
        q.state.responses = responses || {};
        q.state.checked = !!checked;
        if (typeof attempts === "number") { q.state.attempts = attempts; }
        if (best && typeof best.percent === "number" && !(q.state.best && q.state.best.percent >= best.percent)) {
          q.state.best = best;
        }
        q.shown = Q.shownIn(q.key, learnerKey(q.course), Q.round(q.state));
        q.state.result = checked ? Q.score(q.key, q.state.responses, q.shown) : null;
        q.save();
        q.clearFeedback();
        q.restore();
      });
    }
  };

  /* mkdocs-material's document$ emits once the page is ready and again after each
   * instant-navigation swap; without the theme, wait for the page ourselves. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
