/* diplograph: completion in the query editor (CodeMirror 5 with its show-hint addon, vendored).
 *
 * - Terms: typing a prefixed name (`dg:sp`) offers the ontology's terms under that prefix
 *   (`dg:speaker`), read once from the terms endpoint (server/complete.py) with their kind and
 *   label. Picking a term whose prefix the query does not declare adds its PREFIX line on top.
 * - Prefixes: after `PREFIX `, typing a name offers the whole declaration (`skos: <...>`).
 * - Entities: after the data prefix (`id:lavr`, three letters or more), or with Ctrl+Space on a
 *   bare word, entities whose label holds the words are looked up (the entities endpoint, a
 *   bounded query on the server) and inserted by their short name (`id:person/sergey-lavrov`).
 * Ctrl+Space also offers prefixes and terms whose name or label starts with the word. Labels are
 * put in the list as text nodes (show-hint's displayText), never as markup.
 */
(function () {
  "use strict";

  var NAME_CHARS = /[\w\-.:\/]/;
  var MAX_TERMS = 60;

  function wordBefore(cm) {
    var cur = cm.getCursor();
    var line = cm.getLine(cur.line);
    var start = cur.ch;
    while (start > 0 && NAME_CHARS.test(line.charAt(start - 1))) { start -= 1; }
    return { text: line.slice(start, cur.ch), start: start, before: line.slice(0, start), cur: cur };
  }

  function declared(cm, prefix) {
    var re = new RegExp("^\\s*PREFIX\\s+" + prefix.replace(/[\-.]/g, "\\$&") + ":", "im");
    return re.test(cm.getValue());
  }

  function Completer(cm, options) {
    this.cm = cm;
    this.termsUrl = options.termsUrl;
    this.entitiesUrl = options.entitiesUrl;
    this.prefixes = options.prefixes || {};
    this.idPrefix = null;
    var self = this;
    Object.keys(this.prefixes).forEach(function (p) {
      if (self.prefixes[p] === options.idBase) { self.idPrefix = p; }
    });
    this.terms = null;
    this.ready = this.loadTerms();
  }

  Completer.prototype.loadTerms = function () {
    var self = this;
    return fetch(this.termsUrl, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { terms: [] }; })
      .then(function (body) {
        self.terms = body.terms || [];
        if (body.prefixes) { self.prefixes = body.prefixes; }
      })
      .catch(function () { self.terms = []; });
  };

  Completer.prototype.termItems = function (word, byLabel) {
    var lower = word.toLowerCase();
    var out = [];
    (this.terms || []).forEach(function (t) {
      var local = t.curie.slice(t.curie.indexOf(":") + 1).toLowerCase();
      var hit = t.curie.toLowerCase().indexOf(lower) === 0 ||
        (byLabel && (local.indexOf(lower) === 0 ||
                     (t.label || "").toLowerCase().indexOf(lower) === 0));
      if (hit && out.length < MAX_TERMS) {
        out.push({
          text: t.curie,
          displayText: t.curie + "  (" + t.kind + (t.label ? ": " + t.label : "") + ")",
          curie: t.curie,
          rank: t.curie.indexOf(word) === 0 ? 0 : (t.curie.toLowerCase().indexOf(lower) === 0 ? 1 : 2)
        });
      }
    });
    // the case as typed first, then any case, then by local name or label; shorter first
    out.sort(function (a, b) {
      return a.rank - b.rank || a.text.length - b.text.length || (a.text < b.text ? -1 : 1);
    });
    return out;
  };

  Completer.prototype.prefixItems = function (word, declaration) {
    var lower = word.replace(/:$/, "").toLowerCase();
    var prefixes = this.prefixes;
    return Object.keys(prefixes).filter(function (p) {
      return p.toLowerCase().indexOf(lower) === 0;
    }).sort().map(function (p) {
      var decl = p + ": <" + prefixes[p] + ">";
      return declaration ? { text: decl, displayText: decl }
        : { text: p + ":", displayText: decl, curie: p + ":" };
    });
  };

  Completer.prototype.entityItems = function (text) {
    var words = text.replace(/[^\w]+/g, " ").trim();
    if (words.replace(/\s/g, "").length < 3) { return Promise.resolve([]); }
    var url = this.entitiesUrl + "?limit=15&q=" + encodeURIComponent(words);
    var idPrefix = this.idPrefix;
    return fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { entities: [] }; })
      .then(function (body) {
        return (body.entities || []).map(function (e) {
          var curie = e.short !== e.iri && /^[\w\-]+:[\w\-.\/]+$/.test(e.short);
          return {
            text: curie ? e.short : "<" + e.iri + ">",
            displayText: e.label + "  (" + e.short + ")",
            curie: curie && idPrefix ? e.short : null
          };
        });
      })
      .catch(function () { return []; });
  };

  /* The hint list for the word at the cursor; `manual` when asked for with Ctrl+Space. */
  Completer.prototype.hints = function (cm, manual) {
    var self = this;
    var w = wordBefore(cm);
    var from = { line: w.cur.line, ch: w.start };
    function result(list) {
      if (!list.length) { return null; }
      var data = { list: list, from: from, to: w.cur };
      window.CodeMirror.on(data, "pick", function (c) { self.addPrefix(c); });
      return data;
    }
    return this.ready.then(function () {
      if (/^\s*PREFIX\s+$/i.test(w.before) && w.text.indexOf(":") < 0) {
        return result(self.prefixItems(w.text, true));
      }
      var colon = w.text.indexOf(":");
      if (colon > 0) {
        var prefix = w.text.slice(0, colon);
        if (prefix === self.idPrefix) {
          return self.entityItems(w.text.slice(colon + 1)).then(result);
        }
        return result(self.termItems(w.text, false));
      }
      if (!manual || !w.text) { return null; }
      var local = self.prefixItems(w.text, false).concat(self.termItems(w.text, true));
      return self.entityItems(w.text).then(function (found) { return result(local.concat(found)); });
    });
  };

  Completer.prototype.addPrefix = function (completion) {
    var cm = this.cm;
    var name = completion.curie && completion.curie.slice(0, completion.curie.indexOf(":"));
    if (!name || !this.prefixes[name] || declared(cm, name)) { return; }
    cm.replaceRange("PREFIX " + name + ": <" + this.prefixes[name] + ">\n", { line: 0, ch: 0 });
  };

  Completer.prototype.show = function (manual) {
    var self = this;
    var hint = function (cm) { return self.hints(cm, manual); };
    this.cm.showHint({
      hint: hint,
      completeSingle: false,
      closeCharacters: /[\s()\[\]{};>,]/
    });
  };

  /* Attach completion to a CodeMirror editor: as one types a name, and on Ctrl+Space. */
  function attach(cm, options) {
    if (!cm.showHint) { return null; }
    var completer = new Completer(cm, options);
    cm.on("inputRead", function (editor, change) {
      if (change.origin !== "+input" || editor.state.completionActive) { return; }
      var w = wordBefore(editor);
      if (w.text.indexOf(":") > 0 || (/^\s*PREFIX\s+$/i.test(w.before) && w.text)) {
        completer.show(false);
      }
    });
    cm.addKeyMap({ "Ctrl-Space": function () { completer.show(true); } });
    return completer;
  }

  window.Diplograph = window.Diplograph || {};
  window.Diplograph.attachCompletion = attach;
}());
