/* diplograph: a bar chart of an aggregate result in the query editor (SVG, DOM API only).
 *
 * A result can be charted when one column holds only numbers (xsd:integer, decimal, double ...)
 * and another column holds names (IRIs or text): one horizontal bar per row, labelled by the
 * name column (an IRI by its label once known, else its short form), as long as the value column
 * says, in the table's current order, the first MAX_BARS rows. Selects choose the two columns.
 * Text is set with textContent; nothing is parsed as markup.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 50;
  var BAR = 20;
  var GAP = 4;
  var LABEL_WIDTH = 240;
  var WIDTH = 760;

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* Which columns of the view can be charted: {names: [...], values: [...]}, or null. */
  function chartable(view) {
    if (!view || !view.rows.length) { return null; }
    var isNumeric = window.Diplograph.isNumeric;
    var values = [];
    var names = [];
    view.vars.forEach(function (v) {
      var bound = 0;
      var numeric = true;
      view.rows.forEach(function (row) {
        if (row[v]) { bound += 1; numeric = numeric && isNumeric(row[v]); }
      });
      if (bound && numeric) { values.push(v); } else if (bound) { names.push(v); }
    });
    return values.length && names.length ? { names: names, values: values } : null;
  }

  function nameOf(term, view) {
    if (!term) { return "—"; }
    if (term.type === "uri") {
      return view.labels[term.value] || window.Diplograph.shorten(term.value, view.opts.prefixes);
    }
    return term.value;
  }

  function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  /* Draw the bars of `view` for the columns `nameVar` and `valueVar` into `box`. */
  function drawBars(box, view, nameVar, valueVar) {
    var rows = view.ordered(MAX_BARS).filter(function (r) { return r[valueVar]; });
    var numbers = rows.map(function (r) { return Number(r[valueVar].value); });
    var max = Math.max.apply(null, numbers.map(Math.abs).concat([0])) || 1;
    var plot = WIDTH - LABEL_WIDTH - 70;
    var height = rows.length * (BAR + GAP) + GAP;
    var chart = svg("svg", { "class": "bar-chart", width: WIDTH, height: height,
                             viewBox: "0 0 " + WIDTH + " " + height, role: "img" });
    chart.appendChild(svg("title", {}, valueVar + " by " + nameVar));
    rows.forEach(function (row, i) {
      var y = GAP + i * (BAR + GAP);
      var name = nameOf(row[nameVar], view);
      var w = Math.max(1, Math.round(Math.abs(numbers[i]) / max * plot));
      var g = svg("g", { "class": "bar" });
      g.appendChild(svg("text", { x: LABEL_WIDTH - 6, y: y + BAR * 0.7, "text-anchor": "end",
                                  "class": "bar-label" }, clip(name, 36)));
      var rect = svg("rect", { x: LABEL_WIDTH, y: y, width: w, height: BAR,
                               "class": numbers[i] < 0 ? "bar-rect negative" : "bar-rect" });
      rect.appendChild(svg("title", {}, name + ": " + row[valueVar].value));
      g.appendChild(rect);
      g.appendChild(svg("text", { x: LABEL_WIDTH + w + 4, y: y + BAR * 0.7, "class": "bar-value" },
                        row[valueVar].value));
      chart.appendChild(g);
    });
    box.textContent = "";
    box.appendChild(chart);
    if (view.rows.length > rows.length) {
      box.appendChild(document.createTextNode(
        "The first " + rows.length + " of " + view.rows.length + " rows, in the table's order."));
    }
    box.dataset.bars = String(rows.length);
  }

  function select(label, choices, chosen) {
    var wrap = document.createElement("label");
    wrap.textContent = label + " ";
    var s = document.createElement("select");
    choices.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = v;
      o.selected = v === chosen;
      s.appendChild(o);
    });
    wrap.appendChild(s);
    return { wrap: wrap, select: s };
  }

  /* Fill `box` with the chart of `view` and its column choices; false when it cannot be charted. */
  function drawChart(box, view) {
    var cols = chartable(view);
    box.textContent = "";
    if (!cols) { return false; }
    var controls = document.createElement("div");
    controls.className = "chart-controls";
    var names = select("Bars", cols.names, cols.names[0]);
    var values = select("Length", cols.values, cols.values[0]);
    controls.appendChild(names.wrap);
    controls.appendChild(values.wrap);
    var bars = document.createElement("div");
    bars.className = "chart-bars";
    box.appendChild(controls);
    box.appendChild(bars);
    var redraw = function () { drawBars(bars, view, names.select.value, values.select.value); };
    names.select.addEventListener("change", redraw);
    values.select.addEventListener("change", redraw);
    redraw();
    return true;
  }

  window.Diplograph = window.Diplograph || {};
  window.Diplograph.chartable = chartable;
  window.Diplograph.drawChart = drawChart;
}());
