// The page at `/`, for a person who opens the exporter in a browser.
export function landingPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>netladder exporter</title></head>
<body>
<h1>netladder exporter</h1>
<p>Network failures per process, counted in the kernel, for Prometheus.</p>
<ul>
<li><a href="metrics">Metrics</a></li>
<li><a href="healthz">healthz</a>: 200 while the exporter is alive</li>
<li><a href="readyz">readyz</a>: 200 once its programs are attached and the kernel's counters have been read, 503 before</li>
</ul>
<p>netladder ${version}</p>
</body>
</html>
`;
}
