// Draws the market analysis charts from the JSON the page embeds (Chart.js, served locally).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("market-charts");
    if (!source || typeof window.Chart === "undefined") return;
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.getElementById("chart-" + chart.id);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: chart.type,
        data: { labels: chart.labels, datasets: chart.datasets },
        options: {
          responsive: true,
          // The box (.chart-box in staff-outputs.css) sets the size: a pie as wide as the
          // page would otherwise be as tall as it is wide.
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: chart.type === "pie" || chart.datasets.length > 1 } },
        },
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
