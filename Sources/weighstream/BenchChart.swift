/// The `--svg` chart: throughput against shards (with the bare consumer as a line), and latency against
/// input rate. Plain SVG, no dependencies.
enum BenchChart {
    static func svg(_ r: BenchResults) -> String {
        let width = 900.0, height = 380.0
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        // Left: throughput by shard count.
        let shards = r.pipelineRecordsPerSecond.keys.sorted()
        let top = max(r.bareRecordsPerSecond, r.pipelineRecordsPerSecond.values.max() ?? 0) * 1.15
        let (x0, y0, w, h) = (60.0, 40.0, 340.0, 280.0)
        s += "<text x=\"\(x0)\" y=\"24\" font-size=\"14\">Throughput (records/s) by shards</text>\n"
        s += axes(x0, y0, w, h)
        for (i, k) in shards.enumerated() {
            let v = r.pipelineRecordsPerSecond[k]!
            let bw = w / Double(shards.count + 1)
            let x = x0 + bw * (Double(i) + 0.5)
            let bh = h * v / max(1, top)
            s += "<rect x=\"\(x)\" y=\"\(y0 + h - bh)\" width=\"\(bw * 0.8)\" height=\"\(bh)\" fill=\"#4477aa\"/>\n"
            s += "<text x=\"\(x)\" y=\"\(y0 + h + 16)\">\(k) shard\(k == 1 ? "" : "s")</text>\n"
            s += "<text x=\"\(x)\" y=\"\(y0 + h - bh - 4)\">\(Int(v))</text>\n"
        }
        let by = y0 + h - h * r.bareRecordsPerSecond / max(1, top)
        s += "<line x1=\"\(x0)\" y1=\"\(by)\" x2=\"\(x0 + w)\" y2=\"\(by)\" stroke=\"#cc3311\" stroke-dasharray=\"6,4\"/>\n"
        s += "<text x=\"\(x0 + 4)\" y=\"\(by - 4)\" fill=\"#cc3311\">bare consumer \(Int(r.bareRecordsPerSecond))</text>\n"
        // Right: latency by rate.
        // A rate that saturated before any alarm came back has no figures to plot.
        let rates = r.latency.keys.sorted().filter { r.latency[$0]!.alarms > 0 }
        let (x1, lw) = (500.0, 360.0)
        let topMs = max(1, (r.latency.values.map(\.p99).max() ?? 1) * 1.2)
        s += "<text x=\"\(x1)\" y=\"24\" font-size=\"14\">Record-to-alarm latency (ms) by input rate</text>\n"
        s += axes(x1, y0, lw, h)
        for (label, color, pick) in [("p50", "#228833", { (f: BenchResults.LatencyFigures) in f.p50 }), ("p99", "#ee7733", { $0.p99 })] {
            var points: [String] = []
            for (i, rate) in rates.enumerated() {
                let x = x1 + lw * (Double(i) + 0.5) / Double(max(1, rates.count))
                let y = y0 + h - h * min(1, pick(r.latency[rate]!) / topMs)
                points.append("\(x),\(y)")
                s += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(color)\"/>\n"
                if label == "p99" { s += "<text x=\"\(x - 20)\" y=\"\(y0 + h + 16)\">\(rate / 1000)k/s</text>\n" }
            }
            s += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            s += "<text x=\"\(x1 + lw - 40)\" y=\"\(label == "p50" ? y0 + 10 : y0 + 26)\" fill=\"\(color)\">\(label)</text>\n"
        }
        s += "<text x=\"\(x1 - 40)\" y=\"\(y0 + 4)\">\(Int(topMs))</text>\n"
        s += "</svg>\n"
        return s
    }

    private static func axes(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> String {
        "<line x1=\"\(x)\" y1=\"\(y + h)\" x2=\"\(x + w)\" y2=\"\(y + h)\" stroke=\"black\"/>\n<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x)\" y2=\"\(y + h)\" stroke=\"black\"/>\n"
    }
}
