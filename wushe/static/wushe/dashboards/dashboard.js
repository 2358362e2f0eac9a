/* The dashboard's charts, drawn with the vendored ECharts from the rows the page's tables show
   (json_script "dashboard-data"); words from "dashboard-labels", in the page's language.
   Clicking a region (a bar, a heat-grid row, a map area) opens its dashboard: one level down. */
(function () {
  "use strict";

  var STATUS_COLOURS = {
    met: "#15803d",
    on_track: "#2563eb",
    behind: "#b91c1c",
    no_target: "#64748b",
    no_data: "#cbd5e1",
  };
  var FONT = 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function figure(value) {
    if (value === null || value === undefined) return null;
    return Math.round(value * 100) / 100;
  }

  function start(id, height) {
    var node = document.getElementById(id);
    if (!node) return null;
    if (height) node.style.height = height + "px";
    var chart = echarts.init(node, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) window.location.href = url;
    });
    return chart;
  }

  function ranking(data, labels) {
    var rows = data.ranking.slice().reverse(); // ECharts draws the first category at the bottom
    var chart = start("chart-ranking", Math.max(220, 34 * rows.length + 70));
    if (!chart) return;
    var unit = data.indicator.unit ? " " + data.indicator.unit : "";
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 60, top: 24, bottom: 24, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var row = p.data.row;
          var value = row.value === null ? labels.no_data : figure(row.value) + unit;
          return row.name + "<br>" + labels.value + ": " + value + "<br>" + row.status_label;
        },
      },
      xAxis: { type: "value", name: data.indicator.unit || "" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [
        {
          type: "bar",
          data: rows.map(function (r) {
            return {
              value: r.value === null ? 0 : r.value,
              url: r.url,
              row: r,
              itemStyle: { color: STATUS_COLOURS[r.status] || STATUS_COLOURS.no_target },
            };
          }),
          label: {
            show: true,
            position: "right",
            formatter: function (p) {
              return p.data.row.value === null ? labels.no_data : String(figure(p.data.row.value));
            },
          },
          cursor: "pointer",
        },
      ],
    });
  }

  function trend(data, labels) {
    var chart = start("chart-trend", 300);
    if (!chart) return;
    var rows = data.trend;
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 24, top: 40, bottom: 24, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { data: [labels.value, labels.expected, labels.target], top: 0 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
      yAxis: { type: "value", name: data.indicator.unit || "" },
      series: [
        { name: labels.value, type: "line", connectNulls: false, symbolSize: 7,
          data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#1d4ed8" } },
        { name: labels.expected, type: "line", lineStyle: { type: "dashed" }, symbol: "none",
          data: rows.map(function (r) { return r.expected; }), itemStyle: { color: "#b45309" } },
        { name: labels.target, type: "line", lineStyle: { type: "dotted" }, symbol: "none",
          data: rows.map(function (r) { return r.target; }), itemStyle: { color: "#15803d" } },
      ],
    });
  }

  function coverage(data, labels) {
    var rows = data.coverage;
    var chart = start("chart-coverage", Math.max(200, 30 * rows.length + 110));
    if (!chart) return;
    var names = rows.map(function (r) { return r.name; }).reverse();
    var cells = [];
    rows.forEach(function (r, index) {
      var y = rows.length - 1 - index;
      cells.push({ value: [0, y, r.station_rate === null ? "-" : r.station_rate], url: r.url });
      cells.push({ value: [1, y, r.room_rate === null ? "-" : r.room_rate], url: r.url });
    });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 16, top: 30, bottom: 60, containLabel: true },
      tooltip: {
        formatter: function (p) {
          var rate = p.data.value[2];
          return names[p.data.value[1]] + "<br>" + (p.data.value[0] ? labels.room_rate : labels.station_rate) +
            ": " + (rate === "-" ? labels.no_data : rate + "%");
        },
      },
      xAxis: { type: "category", data: [labels.station_rate, labels.room_rate], position: "top",
               splitArea: { show: true } },
      yAxis: { type: "category", data: names, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center",
                   bottom: 4, text: ["100%", "0%"],
                   inRange: { color: ["#fee2e2", "#fef3c7", "#bbf7d0", "#15803d"] } },
      series: [{
        type: "heatmap", data: cells, cursor: "pointer",
        label: { show: true, formatter: function (p) {
          var rate = p.data.value[2];
          return rate === "-" ? labels.no_data : rate + "%";
        } },
        itemStyle: { borderColor: "#fff", borderWidth: 2 },
      }],
    });
  }

  function map(data, labels) {
    if (!data.map || !document.getElementById("chart-map")) return;
    var chart = start("chart-map", 480);
    var key = "wushe-" + data.region.code;
    fetch(data.map.url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("map " + response.status);
        return response.json();
      })
      .then(function (geojson) {
        echarts.registerMap(key, geojson);
        var values = data.ranking.filter(function (r) { return r.value !== null; })
          .map(function (r) { return r.value; });
        chart.setOption({
          textStyle: { fontFamily: FONT },
          tooltip: { formatter: function (p) {
            var v = p.data && p.data.value;
            return p.name + ": " + (v === null || v === undefined ? labels.no_data : figure(v));
          } },
          visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), left: 8, bottom: 8,
                       calculable: true, inRange: { color: ["#e0f2fe", "#1d4ed8"] } },
          series: [{
            type: "map", map: key, roam: false, cursor: "pointer",
            label: { show: true, fontSize: 11 },
            data: data.ranking.map(function (r) {
              return { name: r.name, value: r.value, url: r.url };
            }),
          }],
        });
      })
      .catch(function (error) { console.warn(error); });
  }

  function autoSubmit() {
    var form = document.getElementById("dashboard-form");
    if (!form) return;
    ["id_indicator", "id_span"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) field.addEventListener("change", function () { form.submit(); });
    });
  }

  function main() {
    var data = read("dashboard-data");
    var labels = read("dashboard-labels");
    autoSubmit();
    if (!data || typeof echarts === "undefined") return;
    ranking(data, labels);
    trend(data, labels);
    coverage(data, labels);
    map(data, labels);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
