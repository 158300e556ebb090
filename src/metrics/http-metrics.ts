import type { RequestDone } from '../common/request-logger';
import type { Metrics } from './metrics';

/**
 * Times every HTTP request into novavms_http_request_duration_seconds (called from the request
 * logger's hook, see app.factory.ts), labelled with the route template that handled it
 * (`/api/v1/gateways/:id`), never the raw path: a request no route matched (a 404, the docs'
 * static files, a refusal before routing) is `unmatched`.
 */
export function httpMetrics(metrics: Metrics): RequestDone {
  return (req, res, durationMs) => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    metrics.httpDuration.observe(
      { method: req.method, route: typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) },
      durationMs / 1000,
    );
  };
}
