// The page at `/`, for a person who opens the exporter in a browser.
export function landingPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>netladder exporter</title></head>
<body>
<h1>netladder exporter</h1>
<p>Network failures per process, counted in the kernel, for Prometheus.</p>
<p><a href="metrics">Metrics</a></p>
<p>netladder ${version}</p>
</body>
</html>
`;
}
