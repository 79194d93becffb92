// Draws each survey question's chart from the page's JSON (script#survey-charts) with the
// vendored Chart.js (static/extranet/vendor/chartjs). The tables next to the charts carry the
// same figures for readers without JavaScript or a screen.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("survey-charts");
    if (!source || typeof window.Chart === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var palette = ["#1f6feb", "#e36209", "#2da44e", "#bf3989", "#8250df", "#d4a72c", "#57606a", "#0a7ea4"];
    charts.forEach(function (item) {
      var canvas = document.querySelector('canvas[data-chart="' + item.id + '"]');
      if (!canvas) return;
      var colours = item.labels.map(function (_, index) { return palette[index % palette.length]; });
      canvas.chart = new window.Chart(canvas, {
        type: item.type,
        data: {
          labels: item.labels,
          datasets: [{ label: item.title, data: item.data, backgroundColor: colours }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: item.type === "pie" } },
          scales: item.type === "bar" ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : {}
        }
      });
      canvas.setAttribute("data-drawn", item.data.join(","));
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
