// The cash forecast chart of /bank/cash, drawn with the vendored uPlot.
// Its data is <script type="application/json" id="ID">{"currency",
// "labels": ["2026-03-02", …] (each week's first day), "series": [{"label",
// "kind": "bar"|"line", "values": [major units…]}]}</script>, named by
// <figure data-cash-chart="ID">. Receipts and payments are bars side by side
// in each week, closing cash a line. The table below the chart holds the
// same figures exactly, so only the picture depends on JavaScript.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;

  var colours = ["#1f7a3f", "#b42318", "#2754c5"];
  var day = 86400;

  function epoch(label) {
    var p = label.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 1000;
  }

  function money(v, currency) {
    if (v == null) return "–";
    return v.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + currency;
  }

  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + "k";
    return String(Math.round(v));
  }

  function isoDay(t) { return new Date(t * 1000).toISOString().slice(0, 10); }

  function draw(fig) {
    var src = document.getElementById(fig.getAttribute("data-cash-chart"));
    if (!src) return;
    var data = JSON.parse(src.textContent);
    if (!data.labels || data.labels.length === 0) return;
    var xs = data.labels.map(epoch);
    var barNo = 0;
    var series = [{ value: function (u, v) { return v == null ? "" : "week of " + isoDay(v); } }];
    data.series.forEach(function (s, i) {
      var c = colours[i % colours.length];
      var opts = { label: s.label, stroke: c, width: 2, value: function (u, v) { return money(v, data.currency); } };
      if (s.kind === "bar") {
        opts.fill = c;
        opts.width = 0;
        opts.paths = uPlot.paths.bars({ size: [0.35, 40], align: barNo++ === 0 ? -1 : 1 });
        opts.points = { show: false };
      } else {
        opts.points = { show: data.labels.length <= 26, size: 5, fill: c };
      }
      series.push(opts);
    });
    var values = [xs].concat(data.series.map(function (s) { return s.values; }));
    var wrap = fig.querySelector(".chart-canvas") || fig;
    var size = function () { return { width: Math.max(280, wrap.clientWidth), height: 280 }; };
    var plot = new uPlot(Object.assign(size(), {
      series: series,
      scales: {
        x: { time: true, range: function (u, lo, hi) { return [lo - 4 * day, hi + 4 * day]; } },
        // Bars start at zero, or their heights lie; a negative closing cash shows below it.
        y: { range: function (u, lo, hi) { return [Math.min(0, lo) * 1.08, Math.max(0, hi) * 1.08 || 1]; } }
      },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return isoDay(t).slice(5); }); }, space: 56 },
        { values: function (u, ticks) { return ticks.map(short); }, size: 56 }
      ],
      legend: { live: true },
      cursor: { points: { show: false } }
    }), values, wrap);
    fig.classList.add("drawn");
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { plot.setSize(size()); }, 100);
    });
  }

  function init() {
    var figs = document.querySelectorAll("figure[data-cash-chart]");
    for (var i = 0; i < figs.length; i++) draw(figs[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
