/* diplograph: the query editor on "/".
 *
 * CodeMirror 5 (vendored, SPARQL mode) over a plain <textarea> that still works without it. The
 * query is POSTed to the SPARQL endpoint (application/x-www-form-urlencoded) and the SPARQL JSON
 * result is drawn as a paged, sortable table by results.js (or as bars by chart.js);
 * CONSTRUCT/DESCRIBE results are shown as Turtle. complete.js adds completion. The
 * page URL keeps the query (?query=...), so a result can be bookmarked; a page opened with a query
 * in its URL runs it at once. Everything the script needs (endpoint, IRI bases, prefixes, the named
 * queries) is read from the page: no inline script, no path built here.
 */
(function () {
  "use strict";

  var SELECT_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function init() {
    var app = document.getElementById("editor-app");
    if (!app) { return; }
    var form = document.getElementById("query-form");
    var textarea = document.getElementById("query");
    var runButton = document.getElementById("run");
    var statusEl = document.getElementById("status");
    var timingEl = document.getElementById("timing");
    var errorEl = document.getElementById("error");
    var truncEl = document.getElementById("truncated");
    var resultEl = document.getElementById("result-table");
    var csvButton = document.getElementById("download-csv");
    var jsonButton = document.getElementById("download-json");
    var examplesSelect = document.getElementById("examples");
    var chartEl = document.getElementById("result-chart");
    var tableButton = document.getElementById("view-table");
    var chartButton = document.getElementById("view-chart");
    var shareButton = document.getElementById("share");
    var shareUrl = document.getElementById("share-url");
    var exampleLink = document.getElementById("example-link");

    var endpoint = app.dataset.endpoint;
    var prefixes = readJSON("prefixes-data") || {};
    var examples = readJSON("examples-data") || [];
    var opts = {
      idBase: app.dataset.idBase,
      localIdBase: app.dataset.localIdBase,
      prefixes: prefixes
    };
    var last = null;  // {query, text, contentType}
    var view = null;  // the ResultView of the last SELECT result

    var editor = null;
    if (window.CodeMirror) {
      editor = window.CodeMirror.fromTextArea(textarea, {
        mode: "application/sparql-query",
        lineNumbers: true,
        matchBrackets: true,
        indentUnit: 2,
        viewportMargin: Infinity,
        extraKeys: {
          "Ctrl-Enter": function () { run(); },
          "Cmd-Enter": function () { run(); }
        }
      });
      app.classList.add("has-codemirror");
      if (window.Diplograph.attachCompletion) {
        window.Diplograph.completion = window.Diplograph.attachCompletion(editor, {
          termsUrl: app.dataset.termsUrl,
          entitiesUrl: app.dataset.entitiesUrl,
          idBase: app.dataset.idBase,
          prefixes: prefixes
        });
      }
    } else {
      textarea.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); run(); }
      });
    }

    function getQuery() { return editor ? editor.getValue() : textarea.value; }
    function setQuery(text) {
      if (editor) { editor.setValue(text); } else { textarea.value = text; }
    }

    function shareLink(query) {
      var url = new URL(window.location.href);
      url.search = "";
      url.hash = "";
      url.searchParams.set("query", query);
      return url.toString();
    }

    function remember(query) {
      if (!window.history || !window.URL) { return; }
      window.history.replaceState(null, "", shareLink(query));
    }

    function showAs(chart) {
      chartEl.hidden = !chart;
      resultEl.hidden = chart;
      tableButton.setAttribute("aria-pressed", String(!chart));
      chartButton.setAttribute("aria-pressed", String(chart));
      if (chart && view) { window.Diplograph.drawChart(chartEl, view); }
    }

    var markedLine = null;

    function markErrorLine(message) {
      // parsers report "at LINE:COLUMN"; mark that line of the query
      var m = /\bat (\d+):(\d+)/.exec(message);
      if (!editor || !m) { return; }
      var line = parseInt(m[1], 10) - 1;
      if (line < 0 || line >= editor.lineCount()) { return; }
      markedLine = editor.addLineClass(line, "background", "cm-error-line");
    }

    function showError(message) {
      markErrorLine(message);
      errorEl.textContent = message;
      errorEl.hidden = false;
      statusEl.textContent = "Error";
      statusEl.className = "status";
    }

    function reset() {
      if (markedLine !== null) {
        editor.removeLineClass(markedLine, "background", "cm-error-line");
        markedLine = null;
      }
      errorEl.hidden = true;
      errorEl.textContent = "";
      truncEl.hidden = true;
      resultEl.textContent = "";
      delete resultEl.dataset.renderMs;
      chartEl.textContent = "";
      view = null;
      showAs(false);
      chartButton.disabled = true;
      statusEl.textContent = "Running…";
      statusEl.className = "status";
      timingEl.textContent = "";
      csvButton.disabled = true;
      jsonButton.disabled = true;
    }

    function errorMessage(status, text) {
      try {
        var body = JSON.parse(text);
        if (body && body.error) { return body.error; }
      } catch (e) { /* not JSON: show the text */ }
      return text || ("HTTP " + status);
    }

    function post(query, accept) {
      var body = new URLSearchParams();
      body.set("query", query);
      return fetch(endpoint, {
        method: "POST",
        headers: { "Accept": accept, "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      });
    }

    /* Draw a SPARQL JSON result (its first page only); note in data-render-ms how long parsing
     * and drawing took, from the response's arrival to the frame that shows it. Returns
     * whether the body says the result was cut. */
    function showTable(text) {
      var arrived = performance.now();
      var data = JSON.parse(text);
      view = window.Diplograph.renderResults(resultEl, data, {
        idBase: opts.idBase, localIdBase: opts.localIdBase, prefixes: prefixes, post: post
      });
      requestAnimationFrame(function () {
        resultEl.dataset.renderMs = String(Math.round(performance.now() - arrived));
      });
      if (typeof data.boolean === "boolean") {
        statusEl.textContent = "ASK answered";
      } else {
        var n = view.rows.length;
        statusEl.textContent = n + (n === 1 ? " row" : " rows");
        csvButton.disabled = false;
        chartButton.disabled = !window.Diplograph.chartable(view);
        view.onSort = function () { if (!chartEl.hidden) { window.Diplograph.drawChart(chartEl, view); } };
      }
      return data.truncated === true;
    }

    function run() {
      var query = getQuery();
      if (!query.trim()) { showError("Write a query first."); return; }
      reset();
      runButton.disabled = true;
      remember(query);
      var started = performance.now();
      post(query, SELECT_ACCEPT).then(function (resp) {
        return resp.text().then(function (text) {
          var ms = Math.round(performance.now() - started);
          timingEl.textContent = ms + " ms";
          var type = resp.headers.get("Content-Type") || "";
          if (!resp.ok) {
            showError(errorMessage(resp.status, text) + " (HTTP " + resp.status + ")");
            return;
          }
          var truncated = /^(1|true|yes)$/i.test(resp.headers.get("X-Diplograph-Truncated") || "");
          last = { query: query, text: text, contentType: type };
          if (type.indexOf("json") >= 0) {
            truncated = showTable(text) || truncated;
            jsonButton.disabled = false;
          } else {
            var pre = document.createElement("pre");
            pre.className = "graph-result";
            pre.textContent = text;
            resultEl.appendChild(pre);
            statusEl.textContent = "Graph result (Turtle)";
          }
          statusEl.className = "status ok";
          truncEl.hidden = !truncated;
        });
      }).catch(function (err) {
        showError("The request failed: " + err);
      }).then(function () {
        runButton.disabled = false;
      });
    }

    function download(blob, filename) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }

    csvButton.addEventListener("click", function () {
      if (!last) { return; }
      post(last.query, "text/csv").then(function (resp) {
        if (!resp.ok) {
          return resp.text().then(function (t) { showError(errorMessage(resp.status, t)); });
        }
        return resp.blob().then(function (b) { download(b, "results.csv"); });
      });
    });

    jsonButton.addEventListener("click", function () {
      if (!last) { return; }
      download(new Blob([last.text], { type: last.contentType || "application/json" }),
               "results.json");
    });

    tableButton.addEventListener("click", function () { showAs(false); });
    chartButton.addEventListener("click", function () { showAs(true); });
    shareButton.addEventListener("click", function () {
      shareUrl.value = shareLink(getQuery());
      shareUrl.hidden = false;
      shareUrl.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(shareUrl.value).catch(function () { /* selected anyway */ });
      }
    });

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      run();
    });

    if (examplesSelect) {
      examplesSelect.addEventListener("change", function () {
        var chosen = null;
        examples.forEach(function (ex) { if (ex.name === examplesSelect.value) { chosen = ex; } });
        if (!chosen) { exampleLink.hidden = true; return; }
        setQuery(chosen.sparql);
        remember(chosen.sparql);
        exampleLink.href = chosen.url;
        exampleLink.textContent = "Open “" + chosen.title + "” with its form";
        exampleLink.hidden = false;
      });
    }

    /* Pick the i-th entry of the open completion list (as a click would). */
    function pickHint(i) {
      var open = editor && editor.state.completionActive;
      if (!open || !open.widget) { return false; }
      open.widget.changeActive(i);
      open.widget.pick();
      return true;
    }

    window.Diplograph.editor = {
      run: run, getQuery: getQuery, setQuery: setQuery, pickHint: pickHint
    };

    if (new URL(window.location.href).searchParams.get("query")) { run(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
