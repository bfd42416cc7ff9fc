-- wrk reporter: one JSON line with throughput, latency percentiles (µs) and errors.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.2f, "p50": %d, "p95": %d, "p99": %d, "errors": %d, "non2xx": %d, "requests": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, summary.errors.status, summary.requests))
end
