// Charts of the ledger pages, drawn with the vendored uPlot (no CDN).
// A chart is <figure data-chart="ID"> with its data in
// <script type="application/json" id="ID">{"currency", "labels": ["2026-01", …],
// "series": [{"label", "kind": "bar"|"line", "values": [major units…]}]}</script>.
// The same figures are in a table beside each chart, so nothing depends on
// JavaScript but the picture.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;

  var colours = ["#2754c5", "#9aa5b8", "#1f7a3f", "#8a5a00"];
  var day = 86400;

  function epoch(label) {
    var p = label.split("-");
    return Date.UTC(+p[0], +p[1] - 1, 1) / 1000;
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

  function draw(fig) {
    var src = document.getElementById(fig.getAttribute("data-chart"));
    if (!src) return;
    var data = JSON.parse(src.textContent);
    if (!data.labels || data.labels.length === 0) return;
    var xs = data.labels.map(epoch);
    var bars = data.series.filter(function (s) { return s.kind === "bar"; }).length;
    var barNo = 0;
    var series = [{ value: function (u, v) { return v == null ? "" : new Date(v * 1000).toISOString().slice(0, 7); } }];
    data.series.forEach(function (s, i) {
      var c = colours[i % colours.length];
      var opts = { label: s.label, stroke: c, width: 2, value: function (u, v) { return money(v, data.currency); } };
      if (s.kind === "bar") {
        // Side by side: the first bar left of the month, the second right.
        var align = bars === 1 ? 0 : (barNo++ === 0 ? -1 : 1);
        opts.fill = c;
        opts.width = 0;
        opts.paths = uPlot.paths.bars({ size: [bars === 1 ? 0.6 : 0.35, 60], align: align });
        opts.points = { show: false };
      } else {
        opts.points = { show: data.labels.length <= 24, size: 5, fill: c };
      }
      series.push(opts);
    });
    var values = [xs].concat(data.series.map(function (s) { return s.values; }));
    var wrap = fig.querySelector(".chart-canvas") || fig;
    var size = function () { return { width: Math.max(280, wrap.clientWidth), height: 260 }; };
    var opts = Object.assign(size(), {
      series: series,
      scales: {
        x: { time: true, range: function (u, lo, hi) { return [lo - 16 * day, hi + 16 * day]; } },
        // Bars start at zero, or their heights lie; a line may zoom in.
        y: bars ? { range: function (u, lo, hi) { return [Math.min(0, lo), Math.max(0, hi) * 1.08 || 1]; } } : {}
      },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return new Date(t * 1000).toISOString().slice(0, 7); }); }, space: 64 },
        { values: function (u, ticks) { return ticks.map(short); }, size: 56 }
      ],
      legend: { live: true },
      cursor: { points: { show: false } }
    });
    var plot = new uPlot(opts, values, wrap);
    fig.classList.add("drawn");
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { plot.setSize(size()); }, 100);
    });
  }

  function init() {
    var figs = document.querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figs.length; i++) draw(figs[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
