/* diplograph: render SPARQL 1.1 JSON results as an HTML table, with the DOM API only
 * (textContent, never innerHTML), so a literal holding "<script>" is shown as text.
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

  /* Replace the content of `container` with the table (or boolean) of a SPARQL JSON result.
   * Returns the number of rows shown. */
  function renderResults(container, data, opts) {
    opts = opts || {};
    container.textContent = "";
    if (typeof data.boolean === "boolean") {
      container.appendChild(el("p", "ask-answer", data.boolean ? "true" : "false"));
      return 1;
    }
    var vars = (data.head && data.head.vars) || [];
    var rows = (data.results && data.results.bindings) || [];
    var wrap = el("div", "table-wrap");
    var table = el("table", "results");
    var thead = el("thead");
    var hr = el("tr");
    hr.appendChild(el("th", "rownum", "#"));
    vars.forEach(function (v) { hr.appendChild(el("th", null, v)); });
    thead.appendChild(hr);
    table.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (row, i) {
      var tr = el("tr");
      tr.appendChild(el("td", "rownum", String(i + 1)));
      vars.forEach(function (v) { tr.appendChild(renderTerm(row[v], opts)); });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    wrap.appendChild(table);
    container.appendChild(wrap);
    return rows.length;
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

  /* Put a label above each IRI of the table in `container` that has one, English first. `post`
   * sends a query and resolves to the response. Labels are a help: failures are ignored. */
  function addLabels(container, post) {
    var nodes = container.querySelectorAll(".term[data-iri]");
    var seen = {};
    var iris = [];
    Array.prototype.forEach.call(nodes, function (node) {
      var iri = node.dataset.iri;
      if (!seen[iri] && SAFE_IRI.test(iri) && iris.length < MAX_LABELLED) {
        seen[iri] = true;
        iris.push(iri);
      }
    });
    if (!iris.length) { return Promise.resolve(0); }
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
        var n = 0;
        Array.prototype.forEach.call(nodes, function (node) {
          var found = best[node.dataset.iri];
          if (found && !node.querySelector(".term-label")) {
            node.insertBefore(el("span", "term-label", found.label), node.firstChild);
            n += 1;
          }
        });
        container.dataset.labelled = "true";
        return n;
      });
    }).catch(function () { return 0; });
  }

  window.Diplograph = window.Diplograph || {};
  window.Diplograph.addLabels = addLabels;
  window.Diplograph.renderResults = renderResults;
  window.Diplograph.shorten = shorten;
}());
