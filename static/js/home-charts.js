// Draws the homepage charts from the JSON that the page embeds (#chart-data).
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var palette = ["#0d6efd", "#20c997", "#ffc107", "#dc3545", "#6f42c1", "#fd7e14", "#0dcaf0", "#6c757d"];

  function colours(n) {
    var out = [];
    for (var i = 0; i < n; i++) {
      out.push(palette[i % palette.length]);
    }
    return out;
  }

  var sub = document.getElementById("chart-sub-category");
  if (sub) {
    new Chart(sub, {
      type: "bar",
      data: {
        labels: data.subCategory.labels,
        datasets: [{ data: data.subCategory.counts, backgroundColor: colours(data.subCategory.counts.length) }]
      },
      options: {
        maintainAspectRatio: false,
        indexAxis: "y",
        // Counts: whole-number steps from zero, never 0.5 of an incident.
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
  }
  var status = document.getElementById("chart-status");
  if (status) {
    new Chart(status, {
      type: "doughnut",
      data: {
        labels: data.status.labels,
        datasets: [{ data: data.status.counts, backgroundColor: colours(data.status.counts.length) }]
      },
      options: { maintainAspectRatio: false, plugins: { legend: { position: "right" } } }
    });
  }
})();
