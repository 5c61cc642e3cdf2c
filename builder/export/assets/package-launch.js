/* package-launch.js: what the launch pages of every package kind share (plain JavaScript,
 * ES5; no eval, no inline script). The launch page loads it after questions.js and before
 * its format's runtime (scorm-runtime.js, cmi5-runtime.js), which keeps only what the
 * format does differently (SCORM API calls, xAPI statements).
 *
 * window.MoocLaunch.pages(runtime): the course pages shown in the launch page's frame,
 * each handed over by package-page.js (attach, leave), and their quizzes: the saved
 * answers put back in a page, the answers typed but not checked yet (drafts), a check or
 * a reset recorded in the runtime's state. `runtime` is the format's side:
 *   state       {seen: {path: true}, recs: {quiz id: {attempts, best, checked,
 *               responses}}, learner}: the runtime's state, changed in place
 *   quizById, pageByPath   the package settings' quizzes and pages, by id and by path
 *   rec(id, create)        a quiz's record in state.recs (create: make it when missing)
 *   warn(...)              the runtime's console warning
 *   connected()            whether the LMS (its API, its LRS) is reached
 *   over()                 whether the session has ended: nothing more is recorded
 *   checked(quiz, detail, first)   a quiz was checked (already in its record; first: its
 *                          first check): what the format tells the LMS
 *   restoring(quiz, r)     how a quiz's record (r, or null) goes back into a page:
 *                          {checked, attempts, best} (MoocQuiz.restore's), null: it does not
 *   attached(path)         a page was attached (then: save)
 *   left()                 a page is going away (its drafts are collected)
 *   save()                 the state changed: save it
 * It returns {attach, leave, applyToPage, collectDrafts, current}; current(): the page
 * shown, {win, path}, or null.
 */
(function () {
  "use strict";

  var Q = window.MoocQuestions;

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  function own(obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); }

  function pages(runtime) {
    var state = runtime.state, quizById = runtime.quizById;
    var current = null;

    /* -- quiz events from the page */
    function storable(quiz, questions) {
      var responses = {};
      questions.forEach(function (item) {
        var q = null;
        quiz.questions.forEach(function (qq) { if (qq.id === item.id) { q = qq; } });
        if (q && Q.scored(q) && item.response !== null && item.response !== undefined) {
          responses[item.id] = clone(item.response);
        }
      });
      return responses;
    }

    function checked(detail) {
      var quiz = quizById[detail.quiz];
      if (!quiz) { return; }
      var r = runtime.rec(quiz.id, true), first = !r.attempts;
      r.attempts += 1;
      r.checked = true;
      r.best = Math.max(r.best, Math.min(Number(detail.score) || 0, quiz.max));
      r.responses = storable(quiz, detail.questions || []);
      runtime.checked(quiz, detail, first);
    }

    function reset(detail) {
      var r = runtime.rec(detail.quiz, false);
      if (r) { r.checked = false; r.responses = {}; }
      runtime.save();
    }

    /* Answers typed but not checked yet, so that a relaunch finds them too. */
    function collectDrafts() {
      var win = current && current.win, summaries = [];
      try { summaries = win && win.MoocQuiz ? win.MoocQuiz.all() : []; } catch (e) { summaries = []; }
      summaries.forEach(function (s) {
        var quiz = quizById[s.quiz];
        if (!quiz || s.checked) { return; }
        var responses = storable(quiz, s.questions || []);
        var r = runtime.rec(quiz.id, false);
        if (!r && !Object.keys(responses).length) { return; }
        r = r || runtime.rec(quiz.id, true);
        r.checked = false;
        r.responses = responses;
      });
    }

    /* The saved answers into a page's quizzes (reflections: the device's own text). */
    function applyToPage(win) {
      if (!win || !win.MoocQuiz) { return; }
      var summaries = [];
      try {
        if (state.learner && typeof win.MoocQuiz.learner === "function") { win.MoocQuiz.learner(state.learner); }
        summaries = win.MoocQuiz.all();
      } catch (e) { return; }
      summaries.forEach(function (s) {
        var quiz = quizById[s.quiz];
        if (!quiz) { return; }
        var r = state.recs[s.quiz];
        var responses = r ? clone(r.responses) : {};
        (s.questions || []).forEach(function (item) {
          if (!Q.scored(item) && item.response !== null && item.response !== undefined) {
            responses[item.id] = item.response;
          }
        });
        try {
          var how = runtime.restoring(quiz, r || null);
          if (how) { win.MoocQuiz.restore(s.quiz, responses, how.checked, how.attempts, how.best); }
        } catch (e) { runtime.warn("restore", e); }
      });
    }

    /* A fill-in takes no more characters than the LMS keeps (the question's cap). */
    function limitFillIns(win) {
      var sections = win.document.querySelectorAll("section.mooc-quiz[data-quiz]");
      Array.prototype.forEach.call(sections, function (section) {
        var quiz = quizById[section.getAttribute("data-quiz")];
        if (!quiz) { return; }
        quiz.questions.forEach(function (q) {
          if (!q.cap) { return; }
          Array.prototype.forEach.call(section.querySelectorAll("fieldset[data-question]"), function (fs) {
            var input = fs.getAttribute("data-question") === q.id ? fs.querySelector("input[type=text]") : null;
            if (input) { input.maxLength = q.cap; }
          });
        });
      });
    }

    /* -- pages (package-page.js hands each one over) */
    function attach(win, path) {
      if (runtime.over() || !own(runtime.pageByPath, path)) { return; }
      current = { win: win, path: path };
      state.seen[path] = true;
      try {
        limitFillIns(win);
        if (runtime.connected()) { applyToPage(win); }
        if (win.MoocQuiz && typeof win.MoocQuiz.on === "function") {
          win.MoocQuiz.on(function (name, detail) {
            if (!current || current.win !== win || runtime.over()) { return; }
            detail = clone(detail);
            if (name === "mooc:quiz-checked") { checked(detail); }
            if (name === "mooc:quiz-reset") { reset(detail); }
          });
        }
        if (win.document && win.document.title) { document.title = win.document.title; }
      } catch (e) {
        runtime.warn("page not connected", e);
      }
      runtime.attached(path);
      runtime.save();
    }

    /* A page goes away (the learner opens another, the launch page closes). */
    function leave(win) {
      if (!current || current.win !== win || runtime.over()) { return; }
      collectDrafts();
      runtime.left();
    }

    return {
      attach: attach, leave: leave, applyToPage: applyToPage, collectDrafts: collectDrafts,
      current: function () { return current; }
    };
  }

  window.MoocLaunch = { pages: pages };
}());
