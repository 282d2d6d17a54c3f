/* The graph page's legend, filters and time slider (templates/graph.html, used by graph.js).
 *
 * The legend lists the node kinds present (with their colour and count) and the link types
 * present (the edges' `type`, from the server), an aggregate counting for the resources and
 * links it stands for; unticking one hides its nodes or links. The
 * time slider spans the years of the dates and intervals in the data (`date`, `start`, `end` of
 * nodes and edges); a link or resource whose time lies outside the chosen years is hidden, one
 * without a date stays. A node left with no visible link (other than the focus) is hidden too.
 * Everything is built with the DOM API; labels only ever as text.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function year(text) {
    var m = /^(-?\d{4})/.exec(text || "");
    return m ? parseInt(m[1], 10) : null;
  }

  /* [first year, last year] of an element's time; null bounds are open; null: no time at all. */
  function span(el) {
    var d = el.data();
    var lo = year(d.start || d.date);
    var hi = year(d.end || d.date);
    if (lo === null && hi === null) { return null; }
    return [lo, hi];
  }

  function swatch(colour) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "12");
    s.setAttribute("height", "12");
    s.setAttribute("class", "legend-swatch");
    var c = document.createElementNS(SVG, "circle");
    c.setAttribute("cx", "6");
    c.setAttribute("cy", "6");
    c.setAttribute("r", "5");
    c.setAttribute("fill", colour);
    c.setAttribute("stroke", "#666");
    s.appendChild(c);
    return s;
  }

  function Legend(cy, opts) {
    this.cy = cy;
    this.colours = opts.colours || {};
    this.focus = opts.focus || "";
    this.kindList = document.getElementById("legend-kinds");
    this.typeList = document.getElementById("legend-types");
    this.timeBox = document.getElementById("time-filter");
    this.timeFrom = document.getElementById("time-from");
    this.timeTo = document.getElementById("time-to");
    this.timeLabel = document.getElementById("time-label");
    this.off = { kind: {}, type: {} };
    this.range = null;
    var self = this;
    [this.timeFrom, this.timeTo].forEach(function (input) {
      input.addEventListener("input", function () { self.readTime(input); self.apply(); });
    });
  }

  Legend.prototype.list = function (ul, what, counts, colourOf) {
    var self = this;
    ul.textContent = "";
    Object.keys(counts).sort().forEach(function (name) {
      var li = document.createElement("li");
      li.dataset[what] = name;
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !self.off[what][name];
      box.addEventListener("change", function () {
        self.off[what][name] = !box.checked;
        self.apply();
      });
      label.appendChild(box);
      if (colourOf) { label.appendChild(swatch(colourOf(name))); }
      label.appendChild(document.createTextNode(" " + name + " "));
      var n = document.createElement("span");
      n.className = "legend-count";
      n.textContent = String(counts[name]);
      label.appendChild(n);
      li.appendChild(label);
      ul.appendChild(li);
    });
  };

  /* Rebuild the legend and the slider from the elements now in the graph. */
  Legend.prototype.refresh = function () {
    var self = this;
    var kinds = {};
    var types = {};
    var years = [];
    this.cy.nodes().forEach(function (n) {
      var k = n.data("kind") || "other";
      kinds[k] = (kinds[k] || 0) + (n.data("count") || 1);
    });
    this.cy.elements().forEach(function (el) {
      if (el.isEdge()) {
        var t = el.data("type") || el.data("relation") || "link";
        types[t] = (types[t] || 0) + (el.data("count") || 1);
      }
      var s = span(el);
      if (s) { s.forEach(function (y) { if (y !== null) { years.push(y); } }); }
    });
    this.list(this.kindList, "kind", kinds, function (k) {
      return self.colours[k] || self.colours.other || "#ccc";
    });
    this.list(this.typeList, "type", types, null);
    this.setupTime(years);
    this.apply();
  };

  Legend.prototype.setupTime = function (years) {
    if (years.length < 2 || Math.min.apply(null, years) === Math.max.apply(null, years)) {
      this.timeBox.hidden = true;
      this.range = null;
      return;
    }
    var lo = Math.min.apply(null, years);
    var hi = Math.max.apply(null, years);
    var keep = this.range;
    [this.timeFrom, this.timeTo].forEach(function (input) {
      input.min = String(lo);
      input.max = String(hi);
      input.step = "1";
    });
    this.timeFrom.value = String(keep ? Math.max(lo, keep[0]) : lo);
    this.timeTo.value = String(keep ? Math.min(hi, keep[1]) : hi);
    this.bounds = [lo, hi];
    this.timeBox.hidden = false;
    this.readTime(null);
  };

  Legend.prototype.readTime = function (moved) {
    var from = parseInt(this.timeFrom.value, 10);
    var to = parseInt(this.timeTo.value, 10);
    if (from > to) {  // the thumbs do not cross: the one moved pushes the other
      if (moved === this.timeFrom) { this.timeTo.value = String(from); to = from; }
      else { this.timeFrom.value = String(to); from = to; }
    }
    this.range = [from, to];
    this.timeLabel.textContent = from + " – " + to;
  };

  Legend.prototype.inTime = function (el) {
    if (!this.range) { return true; }
    var s = span(el);
    if (!s) { return true; }
    return !((s[0] !== null && s[0] > this.range[1]) || (s[1] !== null && s[1] < this.range[0]));
  };

  /* Show what passes the filters, hide the rest. */
  Legend.prototype.apply = function () {
    var self = this;
    var cy = this.cy;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var ok = !self.off.kind[n.data("kind") || "other"] && self.inTime(n);
        n.toggleClass("filtered", !ok);
      });
      cy.edges().forEach(function (e) {
        var ok = !self.off.type[e.data("type") || e.data("relation") || "link"] && self.inTime(e) &&
          !e.source().hasClass("filtered") && !e.target().hasClass("filtered");
        e.toggleClass("filtered", !ok);
      });
      cy.nodes().forEach(function (n) {
        if (n.id() === self.focus || n.hasClass("filtered") || !n.connectedEdges().length) { return; }
        var shown = n.connectedEdges().filter(function (e) { return !e.hasClass("filtered"); });
        if (!shown.length) { n.addClass("filtered"); }
      });
    });
    var visible = cy.nodes().filter(function (n) { return !n.hasClass("filtered"); }).length;
    cy.container().dataset.visible = String(visible);
    if (this.onApply) { this.onApply(visible); }
  };

  window.DiplographLegend = Legend;
}());
