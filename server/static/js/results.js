/* diplograph: render SPARQL 1.1 JSON results as an HTML table, with the DOM API only
 * (textContent, never innerHTML), so a literal holding "<script>" is shown as text. The table is
 * drawn a page at a time (ResultView: pages of 25, 100 or 500 rows, sorting by a column), so a
 * 10,000-row result costs the DOM no more than one page; labels are fetched page by page.
 *
 * Data IRIs under the data base (https://w3id.org/diplograph/id/) link to this server's pages
 * (/id/...); the two bases are read from the page (data attributes set by server/urls.py), so this
 * file builds no path of its own. IRIs are shown shortened with the page's prefixes.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function shorten(iri, prefixes) {
    var best = null;
    Object.keys(prefixes || {}).forEach(function (name) {
      var ns = prefixes[name];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && (!best || ns.length > best.ns.length)) {
        best = { name: name, ns: ns };
      }
    });
    return best ? best.name + ":" + iri.slice(best.ns.length) : iri;
  }

  function linkFor(iri, opts) {
    if (opts.idBase && opts.localIdBase && iri.indexOf(opts.idBase) === 0 &&
        iri.length > opts.idBase.length) {
      return opts.localIdBase + iri.slice(opts.idBase.length);
    }
    if (/^https?:\/\//i.test(iri)) { return iri; }
    return null;  // urn:, mailto: ... are shown, not linked
  }

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

  function renderTerm(term, opts) {
    var cell = el("td");
    if (!term) {
      cell.appendChild(el("span", "unbound", "—"));
      return cell;
    }
    if (term.type === "uri") {
      var href = linkFor(term.value, opts);
      var text = shorten(term.value, opts.prefixes);
      var inner = el("span", "term-iri", text);
      var holder = href ? el("a") : el("span");
      if (href) { holder.href = href; }
      holder.className = "term";
      holder.dataset.iri = term.value;
      holder.title = term.value;
      holder.appendChild(inner);
      cell.appendChild(holder);
    } else if (term.type === "bnode") {
      cell.appendChild(el("span", "term-bnode", "_:" + term.value));
    } else {
      if (term.value.length > 60) { cell.className = "wide"; }
      cell.appendChild(el("span", "term-literal", term.value));
      var lang = term["xml:lang"];
      if (lang) {
        cell.appendChild(el("span", "term-meta", "@" + lang));
      } else if (term.datatype && term.datatype !== RDF_LANG &&
                 term.datatype !== XSD + "string") {
        cell.appendChild(el("span", "term-meta", shorten(term.datatype, opts.prefixes)));
      }
    }
    return cell;
  }

  var PAGE_SIZES = [25, 100, 500];
  var NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|negativeInteger|nonPositiveInteger|unsignedLong|unsignedInt|unsignedShort|unsignedByte)$/;

  function isNumeric(term) {
    return !!term && term.type !== "uri" && term.type !== "bnode" &&
      NUMERIC.test(term.datatype || "") && !isNaN(Number(term.value));
  }

  /* The sort key of a cell: unbound last, numbers by value, the rest by text. */
  function sortKey(term) {
    if (!term) { return [2, 0, ""]; }
    if (isNumeric(term)) { return [0, Number(term.value), ""]; }
    return [1, 0, term.value];
  }

  var collator = window.Intl ? new Intl.Collator(undefined, { numeric: true }) : null;

  function compareKeys(a, b) {
    if (a[0] !== b[0]) { return a[0] - b[0]; }
    if (a[1] !== b[1]) { return a[1] - b[1]; }
    if (collator) { return collator.compare(a[2], b[2]); }
    return a[2] < b[2] ? -1 : (a[2] > b[2] ? 1 : 0);
  }

  /* A SELECT result shown one page at a time: only the rows of the page are in the DOM, so a
   * 10,000-row result draws as fast as a 100-row one. Column heads sort (numbers by value,
   * unbound last; a second click reverses); the labels of a page's IRIs are fetched when it is
   * shown and kept for the other pages. */
  function ResultView(container, data, opts) {
    this.container = container;
    this.opts = opts;
    this.vars = (data.head && data.head.vars) || [];
    this.rows = (data.results && data.results.bindings) || [];
    this.order = this.rows.map(function (_, i) { return i; });
    this.sortVar = null;
    this.descending = false;
    this.page = 0;
    this.pageSize = opts.pageSize || 100;
    this.labels = {};
    this.build();
    this.draw();
  }

  ResultView.prototype.pages = function () {
    return Math.max(1, Math.ceil(this.rows.length / this.pageSize));
  };

  ResultView.prototype.button = function (text, label, go) {
    var self = this;
    var b = el("button", "secondary pager-button", text);
    b.type = "button";
    b.setAttribute("aria-label", label);
    b.addEventListener("click", function () { self.page = go(); self.draw(); });
    return b;
  };

  ResultView.prototype.buildPager = function () {
    var self = this;
    var nav = el("div", "pager");
    nav.setAttribute("role", "navigation");
    nav.setAttribute("aria-label", "Result pages");
    this.first = this.button("«", "First page", function () { return 0; });
    this.prev = this.button("‹", "Previous page", function () { return self.page - 1; });
    this.info = el("span", "pager-info");
    this.next = this.button("›", "Next page", function () { return self.page + 1; });
    this.last = this.button("»", "Last page", function () { return self.pages() - 1; });
    var size = el("select", "pager-size");
    size.setAttribute("aria-label", "Rows per page");
    PAGE_SIZES.forEach(function (n) {
      var o = el("option", null, n + " rows a page");
      o.value = String(n);
      o.selected = n === self.pageSize;
      size.appendChild(o);
    });
    size.addEventListener("change", function () {
      var firstRow = self.page * self.pageSize;
      self.pageSize = Number(size.value);
      self.page = Math.floor(firstRow / self.pageSize);
      self.draw();
    });
    [this.first, this.prev, this.info, this.next, this.last, size].forEach(function (n) {
      nav.appendChild(n);
    });
    return nav;
  };

  ResultView.prototype.build = function () {
    var self = this;
    this.container.textContent = "";
    this.pager = this.buildPager();
    this.pager.hidden = this.rows.length <= PAGE_SIZES[0];
    this.container.appendChild(this.pager);
    var wrap = el("div", "table-wrap");
    var table = el("table", "results");
    var hr = el("tr");
    hr.appendChild(el("th", "rownum", "#"));
    this.heads = this.vars.map(function (v) {
      var th = el("th", "sortable", v);
      th.tabIndex = 0;
      th.title = "Sort by " + v;
      th.setAttribute("aria-sort", "none");
      var sort = function () { self.sortBy(v); };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); sort(); }
      });
      hr.appendChild(th);
      return th;
    });
    var thead = el("thead");
    thead.appendChild(hr);
    table.appendChild(thead);
    this.tbody = el("tbody");
    table.appendChild(this.tbody);
    wrap.appendChild(table);
    this.container.appendChild(wrap);
  };

  ResultView.prototype.sortBy = function (v) {
    this.descending = this.sortVar === v ? !this.descending : false;
    this.sortVar = v;
    var rows = this.rows;
    var keys = rows.map(function (row) { return sortKey(row[v]); });
    var sign = this.descending ? -1 : 1;
    this.order.sort(function (a, b) { return sign * compareKeys(keys[a], keys[b]) || a - b; });
    var self = this;
    this.heads.forEach(function (th, i) {
      var on = self.vars[i] === v;
      th.setAttribute("aria-sort", on ? (self.descending ? "descending" : "ascending") : "none");
    });
    this.page = 0;
    this.draw();
    if (this.onSort) { this.onSort(); }
  };

  /* The rows in the current order (for a chart). */
  ResultView.prototype.ordered = function (limit) {
    var rows = this.rows;
    return this.order.slice(0, limit).map(function (i) { return rows[i]; });
  };

  ResultView.prototype.draw = function () {
    var self = this;
    var pages = this.pages();
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    var from = this.page * this.pageSize;
    var to = Math.min(this.rows.length, from + this.pageSize);
    var body = el("tbody");
    for (var k = from; k < to; k++) {
      var row = this.rows[this.order[k]];
      var tr = el("tr");
      tr.appendChild(el("td", "rownum", String(k + 1)));
      for (var j = 0; j < this.vars.length; j++) { tr.appendChild(renderTerm(row[this.vars[j]], this.opts)); }
      body.appendChild(tr);
    }
    this.tbody.parentNode.replaceChild(body, this.tbody);
    this.tbody = body;
    this.info.textContent = this.rows.length ?
      "Rows " + (from + 1) + "–" + to + " of " + this.rows.length + " · page " +
        (this.page + 1) + " of " + pages : "No rows";
    this.first.disabled = this.prev.disabled = this.page === 0;
    this.next.disabled = this.last.disabled = this.page >= pages - 1;
    this.container.dataset.page = String(this.page + 1);
    this.container.dataset.shown = String(to - from);
    if (this.opts.post) {
      this.container.dataset.labelled = "";
      addLabels(this.tbody, this.opts.post, this.labels).then(function () {
        self.container.dataset.labelled = "true";
      });
    }
  };

  /* Replace the content of `container` with the table (or boolean) of a SPARQL JSON result.
   * Returns the ResultView of a table (null for ASK). With `opts.post` (a function that sends a
   * query), the IRIs of each page shown get their labels. */
  function renderResults(container, data, opts) {
    opts = opts || {};
    container.textContent = "";
    if (typeof data.boolean === "boolean") {
      container.appendChild(el("p", "ask-answer", data.boolean ? "true" : "false"));
      return null;
    }
    return new ResultView(container, data, opts);
  }

  var SAFE_IRI = /^[^<>"{}|^`\\\u0000-\u0020]+$/;
  var MAX_LABELLED = 400;

  /* The query that finds a label for each IRI (skos:prefLabel or rdfs:label). */
  function labelsQuery(iris) {
    return "SELECT ?s ?label ?pref WHERE {\n  VALUES ?s { " +
      iris.map(function (i) { return "<" + i + ">"; }).join(" ") + " }\n" +
      "  { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label BIND(0 AS ?pref) }\n" +
      "  UNION { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label BIND(1 AS ?pref) }\n}";
  }

  function rank(binding) {
    var lang = (binding.label["xml:lang"] || "").toLowerCase();
    var langRank = (lang === "en" || lang.indexOf("en-") === 0) ? 0 : (lang === "" ? 1 : 2);
    return [langRank, Number(binding.pref.value), binding.label.value];
  }

  function better(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] < b[i]) { return true; }
      if (a[i] > b[i]) { return false; }
    }
    return false;
  }

  function putLabels(nodes, known) {
    Array.prototype.forEach.call(nodes, function (node) {
      var found = known[node.dataset.iri];
      if (found && !node.querySelector(".term-label")) {
        node.insertBefore(el("span", "term-label", found), node.firstChild);
      }
    });
  }

  /* Put a label above each IRI inside `container` that has one, English first. `post` sends a
   * query and resolves to the response; `known` (IRI to label, or null when it has none) keeps
   * what was found for the next call. Labels are a help: failures are ignored. */
  function addLabels(container, post, known) {
    known = known || {};
    var nodes = container.querySelectorAll(".term[data-iri]");
    var iris = [];
    Array.prototype.forEach.call(nodes, function (node) {
      var iri = node.dataset.iri;
      if (!(iri in known) && SAFE_IRI.test(iri) && iris.length < MAX_LABELLED) {
        known[iri] = null;
        iris.push(iri);
      }
    });
    if (!iris.length) { putLabels(nodes, known); return Promise.resolve(0); }
    return post(labelsQuery(iris), "application/sparql-results+json").then(function (resp) {
      if (!resp.ok) { return 0; }
      return resp.json().then(function (data) {
        var best = {};
        data.results.bindings.forEach(function (b) {
          if (!b.s || !b.label || !b.pref) { return; }
          var r = rank(b);
          if (!best[b.s.value] || better(r, best[b.s.value].rank)) {
            best[b.s.value] = { rank: r, label: b.label.value };
          }
        });
        Object.keys(best).forEach(function (iri) { known[iri] = best[iri].label; });
        putLabels(nodes, known);
        return Object.keys(best).length;
      });
    }).catch(function () { return 0; });
  }

  window.Diplograph = window.Diplograph || {};
  window.Diplograph.addLabels = addLabels;
  window.Diplograph.renderResults = renderResults;
  window.Diplograph.shorten = shorten;
  window.Diplograph.isNumeric = isNumeric;
}());
