/* questions.js: the browser side of the question types (builder/questions/), one handler
 * per type keyed by its name, and the scoring rule: answers normalised, each scored
 * question all or nothing, the percentage rounded half up, passed when it meets the pass
 * mark. The Python side is builder/questions/ (scoring.py for the rule);
 * tests/scoring_cases.json holds the cases both are tested against.
 *
 * Plain ES5: no module, no eval, nothing runs at load but definitions, and no page is
 * touched. A page loads it with a plain <script src=".../questions.js"></script> before
 * the script that uses it (mooc.js in the site's pages, scorm-runtime.js in a package's
 * launch page) and finds it as window.MoocQuestions.
 *
 * MoocQuestions: normalise, percent, passed, score(key, responses, shown), judge(q, r), scored(q);
 * for a package's runtime format, matchPattern, encode and decode; types, handler(q).
 * Per learner and attempt (the quiz module): learner(), a new learner's key; learnerFrom(text),
 * one made from an LMS's learner id; round(state), the attempt a quiz state shows;
 * shownIn(key, learner, round), the questions an attempt shows (`draw: N`); arrange(fs, q,
 * learner, quizId, round), the order of a question's choices or items (`shuffle`). Each
 * order is drawn from the learner's key, the quiz, the attempt and the question only, so it
 * is the same after a reload, a relaunch in an LMS, or on another device.
 * A handler, MoocQuestions.types[name] (each function is given a response, never null):
 *   scored                   false: never scored (reflections)
 *   judge(q, r)              response r is correct by q, the page's answer key of the question
 *   read(fs), write(fs, r)   a response from, or into, the question's <fieldset>
 *   correctText(fs, q, t)    the correct answer in words (t: the quiz's interface strings)
 *   format(q, r, v12, lang)  the SCORM learner response, or null; v12: SCORM 1.2's spelling
 *                            (q: the question's settings in a launch page: n, cr, cap)
 *   match(q, r, v12)         (some types) the index in q.cr of the pattern r matches, or -1;
 *                            without it, the pattern equal to format(q, r, v12)
 *   encode(q, r), decode(q, text)  a response in suspend_data, and back; encode's longest
 *                            text is the type's response_bound() in Python
 *   arrange(fs, q, seed)     (types that shuffle) put the choices or items in the order the
 *                            seed (a text) draws
 *   bind(fs, q, quiz), lock(fs, locked, t)  (some types) their own controls: quiz.touched(el)
 *                            records a change, quiz.t (t) the interface strings
 * Responses are what mooc.js stores: single: a choice index; multiple: indices; true-false:
 * a boolean; fill-in and reflection: text; ordering: item indices in the learner's order;
 * matching: for each left item the index of the right item chosen, or null; scenario: the
 * index of the choice made at each step, from the first step on (the path).
 * A question's key may say `scored: false` (a reflection, a practice scenario).
 */
(function (root) {
  "use strict";

  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";  /* SCORM responses */
  var B36 = "0123456789abcdefghijklmnopqrstuvwxyz";  /* suspend_data */

  /* Same rule as builder.questions.scoring.normalise_answer: case, accents, spaces folded. */
  function normalise(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  /* The whole percentage shown to the learner and sent to an LMS (100 with no points). */
  function percent(score, max) { return max ? Math.floor(100 * score / max + 0.5) : 100; }

  function passed(percentage, passMark) { return percentage >= passMark; }

  function range(n) { var out = []; for (var i = 0; i < n; i++) { out.push(i); } return out; }

  function sameList(a, b) {
    if (!Array.isArray(a) || a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }

  function isIndex(v, n) { return typeof v === "number" && v % 1 === 0 && v >= 0 && v < n; }

  function byNumber(a, b) { return a - b; }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function pad2(text) { return text.length < 2 ? "0" + text : text; }

  /* ---------------------------------------------------------------- drawn orders */

  /* FNV-1a of a text, then mulberry32: the same numbers from the same text everywhere. */
  function hash(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }

  function randoms(seed) {
    var a = hash(String(seed));
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /* A permutation of 0..n-1 drawn from a seed (Fisher-Yates). */
  function permutation(n, seed) {
    var order = range(n), next = randoms(seed);
    for (var i = n - 1; i > 0; i--) {
      var j = Math.floor(next() * (i + 1));
      var tmp = order[i]; order[i] = order[j]; order[j] = tmp;
    }
    return order;
  }

  var LEARNER_LENGTH = 6;  /* base 36: 2 billion learners (plan.py LEARNER) */

  function learnerFrom(text) {
    var n = hash("learner/" + text), out = "";
    for (var i = 0; i < LEARNER_LENGTH; i++) { out += B36.charAt(n % 36); n = Math.floor(n / 36); }
    return out;
  }

  /* A new learner's key, at random. */
  function learner() {
    var bytes = [], out = "";
    try {
      bytes = Array.prototype.slice.call(window.crypto.getRandomValues(new Uint8Array(LEARNER_LENGTH)));
    } catch (e) { bytes = []; }
    for (var i = 0; i < LEARNER_LENGTH; i++) {
      out += B36.charAt((bytes.length ? bytes[i] : Math.floor(Math.random() * 256)) % 36);
    }
    return out;
  }

  function isLearner(text) { return typeof text === "string" && /^[0-9a-z]{6}$/.test(text); }

  /* The attempt a quiz state shows: the one checked last, or the one under way. */
  function round(state) {
    var n = state && typeof state.attempts === "number" ? state.attempts : 0;
    return state && state.checked && n > 0 ? n - 1 : n;
  }

  function seedOf(learnerKey, quizId, n, what) {
    return [learnerKey, quizId, n, what].join("/");
  }

  /* The children of a list in the order of `order` (values of their attribute `attr`). */
  function sortChildren(list, attr, order) {
    if (!list) { return; }
    var byValue = {};
    each(list.children, function (el) { byValue[el.getAttribute(attr)] = el; });
    order.forEach(function (v) { if (byValue[v]) { list.appendChild(byValue[v]); } });
  }

  /* suspend_data's separators, and what some LMSs mangle when they store text. */
  function escapeText(text) {
    return text.replace(/[%|~,<>&"'\\\u0000-\u001f\u007f]/g, function (c) {
      return "%" + pad2(c.charCodeAt(0).toString(16).toUpperCase());
    });
  }

  function unescapeText(text) {
    return text.replace(/%([0-9A-Fa-f]{2})/g, function (m, hex) { return String.fromCharCode(parseInt(hex, 16)); });
  }

  function hasRepeats(list) {
    return list.some(function (v, k) { return list.indexOf(v) !== k; });
  }

  /* The index in q.cr of the pattern a response's learner response is, or -1. */
  function patternOf(h, q, r, v12) {
    var formatted = h.format(q, r, v12, "");
    return formatted === null ? -1 : q.cr.indexOf(formatted);
  }

  function checkedInput(fs) { return fs.querySelector("input:checked"); }

  function labelOf(fs, id) {
    var label = fs.querySelector('label[for="' + id + '"]');
    return label ? label.textContent : "";
  }

  /* ---------------------------------------------------------------- choices */

  var choice = {
    arrange: function (fs, q, seed) {
      var list = fs.querySelector(".mooc-choices");
      sortChildren(list, "data-choice", permutation(q.n, seed).map(String));
    },
    write: function (fs, r) {
      each(fs.querySelectorAll("input"), function (i) {
        i.checked = [].concat(r).indexOf(Number(i.value)) !== -1;
      });
    },
    correctText: function (fs, q) {
      return q.correct.map(function (i) {
        var label = fs.querySelector('label[for$="-c' + i + '"]');
        return label ? label.textContent : "";
      }).join("; ");
    }
  };

  var single = {
    scored: true,
    judge: function (q, r) { return q.correct.indexOf(r) !== -1; },
    read: function (fs) {
      var checked = checkedInput(fs);
      return checked ? Number(checked.value) : null;
    },
    write: choice.write,
    correctText: choice.correctText,
    arrange: choice.arrange,
    format: function (q, r) { return isIndex(r, q.n) ? LETTERS.charAt(r) : null; },
    encode: function (q, r) { return isIndex(r, q.n) ? B36.charAt(r) : ""; },
    decode: function (q, text) {
      var i = B36.indexOf(text);
      return text.length === 1 && isIndex(i, q.n) ? i : null;
    }
  };

  var multiple = {
    scored: true,
    judge: function (q, r) { return Array.isArray(r) && sameList(r.slice().sort(byNumber), q.correct); },
    read: function (fs) {
      var value = Array.prototype.map.call(fs.querySelectorAll("input:checked"),
        function (i) { return Number(i.value); });
      return value.length ? value.sort(byNumber) : null;
    },
    write: choice.write,
    correctText: choice.correctText,
    arrange: choice.arrange,
    format: function (q, r, v12) {
      if (!Array.isArray(r)) { return null; }
      var picked = r.filter(function (i) { return isIndex(i, q.n); }).sort(byNumber)
        .filter(function (i, k, all) { return k === 0 || all[k - 1] !== i; });
      return picked.length ? picked.map(function (i) { return LETTERS.charAt(i); }).join(v12 ? "," : "[,]") : null;
    },
    /* as judge: a repeated index is no answer, although format drops the repeat */
    match: function (q, r, v12) { return Array.isArray(r) && hasRepeats(r) ? -1 : patternOf(multiple, q, r, v12); },
    encode: function (q, r) {  /* a repeated or unknown index is no answer: none is kept */
      if (!Array.isArray(r) || hasRepeats(r) || !r.every(function (i) { return isIndex(i, q.n); })) { return ""; }
      return r.map(function (i) { return B36.charAt(i); }).join("");
    },
    decode: function (q, text) {
      var digits = text.split("").map(function (c) { return B36.indexOf(c); });
      if (!digits.every(function (i) { return isIndex(i, q.n); })) { return null; }
      return digits.sort(byNumber).filter(function (i, k, all) { return k === 0 || all[k - 1] !== i; });
    }
  };

  /* ---------------------------------------------------------------- true-false */

  var trueFalse = {
    scored: true,
    judge: function (q, r) { return r === q.correct; },
    read: function (fs) {
      var checked = checkedInput(fs);
      return checked ? checked.value === "true" : null;
    },
    write: function (fs, r) {
      each(fs.querySelectorAll("input"), function (i) { i.checked = i.value === String(r); });
    },
    correctText: function (fs, q, t) { return q.correct ? t["true"] : t["false"]; },
    format: function (q, r, v12) {
      if (typeof r !== "boolean") { return null; }
      return v12 ? (r ? "t" : "f") : String(r);
    },
    encode: function (q, r) { return r === true ? "t" : (r === false ? "f" : ""); },
    decode: function (q, text) { return text === "t" ? true : (text === "f" ? false : null); }
  };

  /* ---------------------------------------------------------------- texts */

  function readText(fs, selector) {
    var value = fs.querySelector(selector).value;
    return value.trim() ? value : null;
  }

  var fillIn = {
    scored: true,
    judge: function (q, r) { return typeof r === "string" && q.correct.indexOf(normalise(r)) !== -1; },
    read: function (fs) { return readText(fs, "input"); },
    write: function (fs, r) { fs.querySelector("input").value = String(r); },
    correctText: function (fs, q) { return q.display; },
    format: function (q, r, v12, lang) {
      var text = String(r).replace(/[\u0000-\u001f]/g, " ").slice(0, v12 ? 255 : 250);
      if (!text.trim()) { return null; }
      if (v12) { return text; }
      text = text.replace(/\[,\]/g, "[ ,]");
      return text.charAt(0) === "{" ? "{lang=" + lang + "}" + text : text;
    },
    match: function (q, r) {  /* case, accents and spaces folded, as judge */
      if (typeof r !== "string") { return -1; }
      for (var k = 0; k < q.cr.length; k++) {
        if (normalise(q.cr[k].replace(/^\{lang=[^}]*\}/, "")) === normalise(r)) { return k; }
      }
      return -1;
    },
    encode: function (q, r) {
      if (typeof r !== "string") { return ""; }
      var text = r.slice(0, q.cap || 32);
      if (/[\ud800-\udbff]$/.test(text)) { text = text.slice(0, -1); }
      return escapeText(text);
    },
    decode: function (q, text) { return unescapeText(text); }
  };

  /* Read by nobody but the learner: it stays on the device (no SCORM response, no
   * suspend_data). */
  var reflection = {
    scored: false,
    judge: function () { return false; },
    read: function (fs) { return readText(fs, "textarea"); },
    write: function (fs, r) { fs.querySelector("textarea").value = String(r); },
    correctText: function () { return ""; },
    format: function () { return null; },
    encode: function () { return ""; },
    decode: function () { return null; }
  };

  /* ---------------------------------------------------------------- ordering, matching */

  var ordering = {
    scored: true,
    judge: function (q, r) { return sameList(r, range(q.n)); },
    arrange: function (fs, q, seed) {  /* never in the correct order */
      var order = permutation(q.n, seed);
      if (q.n > 1 && sameList(order, range(q.n))) { order = order.slice(1).concat(order.slice(0, 1)); }
      sortChildren(fs.querySelector(".mooc-order"), "data-item", order.map(String));
    },
    read: function (fs) {
      return Array.prototype.map.call(fs.querySelectorAll(".mooc-order__item"),
        function (li) { return Number(li.getAttribute("data-item")); });
    },
    write: function (fs, r) {
      var list = fs.querySelector(".mooc-order");
      r.forEach(function (item) {
        var li = list.querySelector('[data-item="' + item + '"]');
        if (li) { list.appendChild(li); }
      });
    },
    correctText: function (fs, q) {
      return range(q.n).map(function (i) {
        var el = fs.querySelector('[data-item="' + i + '"] .mooc-order__text');
        return (i + 1) + ". " + (el ? el.textContent : "");
      }).join(" ");
    },
    format: function (q, r, v12) {
      if (!Array.isArray(r) || !r.every(function (i) { return isIndex(i, q.n); })) { return null; }
      return r.map(function (i) { return LETTERS.charAt(i); }).join(v12 ? "," : "[,]");
    },
    encode: function (q, r) {
      if (!Array.isArray(r) || r.length !== q.n || !r.every(function (i) { return isIndex(i, q.n); })) { return ""; }
      return r.map(function (i) { return B36.charAt(i); }).join("");
    },
    decode: function (q, text) {
      var digits = text.split("").map(function (c) { return B36.indexOf(c); });
      var sorted = digits.slice().sort(byNumber);
      return digits.length === q.n && sorted.every(function (i, k) { return i === k; }) ? digits : null;
    }
  };

  var matching = {
    scored: true,
    judge: function (q, r) { return sameList(r, range(q.n)); },
    read: function (fs) {
      var value = Array.prototype.map.call(fs.querySelectorAll("select"),
        function (s) { return s.value === "" ? null : Number(s.value); });
      return value.every(function (v) { return v === null; }) ? null : value;
    },
    write: function (fs, r) {
      each(fs.querySelectorAll("select"), function (s, i) {
        s.value = r[i] === null || r[i] === undefined ? "" : String(r[i]);
      });
    },
    correctText: function (fs) {
      return Array.prototype.map.call(fs.querySelectorAll("select"), function (s, i) {
        var opt = s.querySelector('option[value="' + i + '"]');
        return labelOf(fs, s.id) + " \u2192 " + (opt ? opt.textContent : "");
      }).join("; ");
    },
    /* as judge: one choice per left item, no more (format leaves out what is past them) */
    match: function (q, r, v12) { return Array.isArray(r) && r.length !== q.n ? -1 : patternOf(matching, q, r, v12); },
    format: function (q, r, v12) {
      if (!Array.isArray(r)) { return null; }
      var pairs = [];
      r.forEach(function (j, i) {
        if (i < q.n && isIndex(j, q.n)) { pairs.push(LETTERS.charAt(i) + (v12 ? "." : "[.]") + LETTERS.charAt(j)); }
      });
      return pairs.length ? pairs.join(v12 ? "," : "[,]") : null;
    },
    encode: function (q, r) {
      if (!Array.isArray(r) || r.length !== q.n) { return ""; }
      return r.map(function (j) { return isIndex(j, q.n) ? B36.charAt(j) : "-"; }).join("");
    },
    decode: function (q, text) {
      if (text.length !== q.n) { return null; }
      var out = text.split("").map(function (c) {
        var j = B36.indexOf(c);
        return c === "-" || !isIndex(j, q.n) ? null : j;
      });
      return out.every(function (j) { return j === null; }) ? null : out;
    }
  };

  /* ---------------------------------------------------------------- scenario */

  /* The ending a path reaches (its index), or -1: unfinished, or a choice that does not
   * exist. q.steps[i]: where each choice of step i leads (a step's index, or -1 - an
   * ending's); q.endings: each ending's outcome. */
  function walk(q, r) {
    if (!Array.isArray(r) || !q.steps || !q.steps.length) { return -1; }
    var at = 0;
    for (var k = 0; k < r.length; k++) {
      var nexts = q.steps[at];
      if (!nexts || !isIndex(r[k], nexts.length)) { return -1; }
      var to = nexts[r[k]];
      if (to < 0) { return k === r.length - 1 && -1 - to < q.endings.length ? -1 - to : -1; }
      at = to;
    }
    return -1;
  }

  function scnList(fs) { return fs.querySelector(".mooc-scn"); }

  function scnPath(fs) {
    var text = scnList(fs).getAttribute("data-path") || "";
    return text ? text.split(",").map(Number) : [];
  }

  /* Show the steps a path visits, in its order, each with the choice made and its
   * feedback, then the step it reached or its ending. */
  function scnShow(fs, path, t) {
    var list = scnList(fs);
    list.setAttribute("data-path", path.join(","));
    each(list.querySelectorAll(".mooc-scn__step, .mooc-scn__ending"), function (el) { el.hidden = true; });
    each(list.querySelectorAll(".mooc-scn__choice"), function (li) {
      li.classList.remove("mooc-scn__choice--chosen");
      var mark = li.querySelector(".mooc-scn__mark");
      if (mark) { mark.parentNode.removeChild(mark); }
      var fb = li.querySelector(".mooc-scn__feedback");
      if (fb) { fb.hidden = true; }
      li.querySelector("button").disabled = false;
    });
    var at = list.querySelector('[data-step="0"]'), k = 0;
    while (at) {
      list.appendChild(at);
      at.hidden = false;
      if (k >= path.length || !at.classList.contains("mooc-scn__step")) { break; }
      var li = at.querySelector('.mooc-scn__choice[data-choice="' + path[k] + '"]');
      if (!li) { break; }
      each(at.querySelectorAll(".mooc-scn__pick"), function (b) { b.disabled = true; });
      li.classList.add("mooc-scn__choice--chosen");
      var mark = document.createElement("span");
      mark.className = "mooc-scn__mark mooc-sr-only";
      mark.textContent = (t.scn_chosen || "") + " ";
      li.querySelector("button").insertBefore(mark, li.querySelector("button").firstChild);
      var fb = li.querySelector(".mooc-scn__feedback");
      if (fb) { fb.hidden = false; }
      var to = Number(li.getAttribute("data-next"));
      at = to >= 0 ? list.querySelector('[data-step="' + to + '"]') : list.querySelector('[data-ending="' + (-1 - to) + '"]');
      k++;
    }
    var restart = fs.querySelector(".mooc-scn__restart");
    if (restart) { restart.hidden = !path.length; }
  }

  var scenario = {
    scored: true,
    judge: function (q, r) { var end = walk(q, r); return end >= 0 && q.endings[end] === "best"; },
    read: function (fs) { var path = scnPath(fs); return path.length ? path : null; },
    write: function (fs, r, t) { scnShow(fs, Array.isArray(r) ? r : [], t || {}); },
    correctText: function (fs, q) {  /* a shortest path to a best ending, in words */
      var words = [];
      var best = [], queue = [[0, []]], seen = {};
      while (queue.length && !best.length) {
        var item = queue.shift(), nexts = q.steps[item[0]] || [];
        for (var c = 0; c < nexts.length && !best.length; c++) {
          var path = item[1].concat([c]);
          if (nexts[c] < 0) {
            if (q.endings[-1 - nexts[c]] === "best") { best = path; }
          } else if (!seen[nexts[c]]) { seen[nexts[c]] = true; queue.push([nexts[c], path]); }
        }
      }
      var at = 0;
      best.forEach(function (c) {
        var btn = fs.querySelector('.mooc-scn__step[data-step="' + at + '"] .mooc-scn__choice[data-choice="' + c + '"] .mooc-scn__pick');
        words.push(btn ? btn.textContent.replace(/^\s+/, "") : "");
        at = q.steps[at][c];
      });
      return words.join(" \u2192 ");
    },
    arrange: function (fs, q, seed) {
      each(fs.querySelectorAll(".mooc-scn__step"), function (step) {
        var n = step.querySelectorAll(".mooc-scn__choice").length;
        sortChildren(step.querySelector(".mooc-scn__choices"), "data-choice",
          permutation(n, seed + "/" + step.getAttribute("data-step")).map(String));
      });
    },
    bind: function (fs, q, quiz) {
      var list = scnList(fs);
      list.addEventListener("click", function (ev) {
        var btn = ev.target.closest ? ev.target.closest(".mooc-scn__pick") : null;
        if (!btn || btn.disabled) { return; }
        var li = btn.closest(".mooc-scn__choice");
        var path = scnPath(fs).concat([Number(li.getAttribute("data-choice"))]);
        scnShow(fs, path, quiz.t);
        quiz.touched(list);
        var fb = li.querySelector(".mooc-scn__feedback");
        var to = Number(li.getAttribute("data-next"));
        var next = to >= 0 ? list.querySelector('[data-step="' + to + '"] .mooc-scn__text') :
          list.querySelector('[data-ending="' + (-1 - to) + '"]');
        (fb || next).focus();
      });
      var restart = fs.querySelector(".mooc-scn__restart");
      if (restart) {
        restart.addEventListener("click", function () {
          scnShow(fs, [], quiz.t);
          quiz.touched(list);
          var live = fs.querySelector("[data-live]");
          if (live) { live.textContent = quiz.t.scn_restarted || ""; }
          list.querySelector('[data-step="0"] .mooc-scn__text').focus();
        });
      }
    },
    lock: function (fs, locked, t) {
      if (locked) {
        each(fs.querySelectorAll(".mooc-scn__pick"), function (b) { b.disabled = true; });
        fs.querySelector(".mooc-scn__restart").hidden = true;
      } else {
        scnShow(fs, scnPath(fs), t);
      }
    },
    /* each choice named by its number across the steps (scenario.py choice_ids): a
     * sequencing pattern may not name one twice */
    format: function (q, r, v12) {
      if (!Array.isArray(r) || !r.length || !q.steps) { return null; }
      var first = [0], out = [], at = 0;
      q.steps.forEach(function (nexts, i) { first.push(first[i] + nexts.length); });
      for (var k = 0; k < r.length; k++) {
        if (at < 0 || !q.steps[at] || !isIndex(r[k], q.steps[at].length)) { return null; }
        out.push(LETTERS.charAt(first[at] + r[k]));
        at = q.steps[at][r[k]];
      }
      return out.join(v12 ? "," : "[,]");
    },
    encode: function (q, r) {
      if (!Array.isArray(r) || r.length > 36 || !r.every(function (i) { return isIndex(i, q.n); })) { return ""; }
      return r.map(function (i) { return B36.charAt(i); }).join("");
    },
    decode: function (q, text) {
      var digits = text.split("").map(function (c) { return B36.indexOf(c); });
      return digits.length <= 36 && digits.every(function (i) { return isIndex(i, q.n); }) ? digits : null;
    }
  };

  var types = {
    "single": single, "multiple": multiple, "true-false": trueFalse, "fill-in": fillIn,
    "ordering": ordering, "matching": matching, "reflection": reflection, "scenario": scenario
  };

  function handler(q) {
    return Object.prototype.hasOwnProperty.call(types, q.type) ? types[q.type] : null;
  }

  /* ---------------------------------------------------------------- the rule */

  /* Scored questions count in a quiz's score (one of an unknown type does, and is wrong). */
  function scored(q) {
    var h = handler(q);
    return (!h || h.scored) && q.scored !== false;
  }

  /* The questions an attempt shows, by id: with `draw: N`, every question that is not
   * scored and N of the scored ones, drawn per learner and attempt; else all of them. */
  function shownIn(key, learnerKey, n) {
    var shown = {}, pool = [];
    key.questions.forEach(function (q) {
      if (key.draw && scored(q)) { pool.push(q.id); } else { shown[q.id] = true; }
    });
    permutation(pool.length, seedOf(learnerKey, key.quiz || key.id, n, "draw"))
      .slice(0, key.draw || 0).forEach(function (i) { shown[pool[i]] = true; });
    return shown;
  }

  /* A question's choices or items in the order of this learner's attempt n. */
  function arrange(fs, q, learnerKey, quizId, n) {
    var h = handler(q);
    if (h && h.arrange && q.shuffle) { h.arrange(fs, q, seedOf(learnerKey, quizId, n, q.id)); }
  }

  /* A response is correct (a question of an unknown type never is). */
  function judge(q, r) {
    var h = handler(q);
    return !!h && r !== null && r !== undefined && h.judge(q, r);
  }

  /* A quiz's score: key is the page's answer key, responses by question id; `shown` (by
   * id, optional): the questions the attempt showed, the others do not count. */
  function score(key, responses, shown) {
    var total = 0, max = 0, results = {};
    key.questions.forEach(function (q) {
      if (!scored(q) || (shown && !shown[q.id])) { return; }
      var ok = judge(q, responses[q.id]);
      results[q.id] = ok;
      max += q.points;
      if (ok) { total += q.points; }
    });
    var shown = percent(total, max);
    return { score: total, max: max, percent: shown, passed: passed(shown, key.passMark), questions: results };
  }

  /* The index in q.cr (SCORM correct patterns) of the pattern a response matches, or -1. */
  function matchPattern(q, r, v12) {
    var h = handler(q);
    if (!h || r === null || r === undefined) { return -1; }
    return h.match ? h.match(q, r, v12) : patternOf(h, q, r, v12);
  }

  /* A response as the LMS's learner response, or null: nothing to report. */
  function format(q, r, v12, lang) {
    var h = handler(q);
    return h && r !== null && r !== undefined ? h.format(q, r, v12, lang) : null;
  }

  /* A response in suspend_data ("": none), and back (null: none, or not valid for q). */
  function encode(q, r) {
    var h = handler(q);
    return h && r !== null && r !== undefined ? h.encode(q, r) : "";
  }

  function decode(q, text) {
    var h = handler(q);
    return h && text ? h.decode(q, String(text)) : null;
  }

  root.MoocQuestions = {
    learner: learner,
    learnerFrom: learnerFrom,
    isLearner: isLearner,
    round: round,
    shownIn: shownIn,
    arrange: arrange,
    permutation: permutation,
    types: types,
    handler: handler,
    scored: scored,
    normalise: normalise,
    percent: percent,
    passed: passed,
    judge: judge,
    score: score,
    format: format,
    matchPattern: matchPattern,
    encode: encode,
    decode: decode
  };
}(window));
