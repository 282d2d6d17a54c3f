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
      inner.title = term.value;
      if (href) {
        var a = el("a");
        a.href = href;
        a.appendChild(inner);
        cell.appendChild(a);
      } else {
        cell.appendChild(inner);
      }
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

  window.Diplograph = window.Diplograph || {};
  window.Diplograph.renderResults = renderResults;
  window.Diplograph.shorten = shorten;
}());
