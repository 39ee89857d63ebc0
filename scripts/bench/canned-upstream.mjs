/**
 * The benchmark's reference server: bare `node:http`, answering every request with a canned JSON
 * body of `?bytes=` (or BODY_BYTES) bytes, built once per size. It also stands in for what the
 * gateway asks the customer service at start-up (the token keys from JWKS_JSON, the recent session
 * invalidations), so a gateway can be measured in front of it.
 */
import http from 'node:http';

const port = Number(process.env.PORT ?? 0);
const defaultBytes = Number(process.env.BODY_BYTES ?? 4700);
const jwks = process.env.JWKS_JSON ?? '{"keys":[]}';
const bodies = new Map();

/** A JSON document of exactly `bytes` bytes (at least the envelope's 12). */
function bodyOf(bytes) {
  let body = bodies.get(bytes);
  if (!body) {
    body = Buffer.from(`{"data":"${'x'.repeat(Math.max(0, bytes - 12))}"}`);
    bodies.set(bytes, body);
  }
  return body;
}

function send(res, body) {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/auth/jwks')) return send(res, Buffer.from(jwks));
  if (req.url.startsWith('/internal/sessions/invalidations')) return send(res, Buffer.from('{"items":[],"sessions":[]}'));
  const bytes = /[?&]bytes=(\d+)/.exec(req.url);
  // The request body, if any, is read and dropped: the answer does not depend on it.
  req.resume();
  send(res, bodyOf(bytes ? Number(bytes[1]) : defaultBytes));
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
