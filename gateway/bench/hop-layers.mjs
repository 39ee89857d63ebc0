/**
 * The gateway's hop built up one layer at a time, for the benchmark (scripts/bench-hop-layers.ts):
 * each LAYERS value is one proxy in front of UPSTREAM_URL, answering `/api/v1/<path>` from
 * `<upstream>/<path>`. It prints `listening <port>` once it serves. Runs the compiled gateway
 * (gateway/dist), as production does.
 */
import http from 'node:http';
import express from 'express';
import { listen } from '@shop/platform';
import { createForwarder } from '../dist/forward.js';
import { createUpstream } from '../dist/proxy.js';

const target = new URL(process.env.UPSTREAM_URL);
const agent = new http.Agent({ keepAlive: true });
const quiet = { warn() {}, info() {}, error() {} };

/** The bare proxy of the benchmark: the request and answer passed on as they are. */
function bareForward(req, res) {
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url.slice(7), headers: { ...req.headers, host: target.host }, agent }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

const forwarder = createForwarder(target.href, 5_000);
/** The gateway's forwarder (forward.ts): hop-by-hop headers dropped, X-Forwarded-*, the service's Host, a timeout. */
function gatewayForward(req, res) {
  forwarder.forward(req, res, req.url.slice(7), { onAnswer: () => [], onError: () => res.destroy() });
}

const upstream = createUpstream({ name: 'bench', target: target.href, timeoutMs: 5_000, errorThresholdPercentage: 50, volumeThreshold: 20, resetTimeoutMs: 5_000, logger: quiet });
/** The forwarder behind the gateway's breaker (proxy.ts). */
function breakerForward(req, res) {
  req.headers['x-correlation-id'] ??= 'bench';
  upstream.forward(req, res, { route: { prefix: '/api/v1/products' }, upstreamUrl: req.url.slice(7) }, undefined, ['x-correlation-id', req.headers['x-correlation-id']]).catch(() => res.destroy());
}

const app = express();
const withExpressClasses = (handler) => Object.assign(handler, { request: app.request, response: app.response });
const expressApp = express();
expressApp.use((req, res) => gatewayForward(req, res));

const layers = {
  'bare proxy': () => http.createServer(bareForward),
  "+ the platform's server (drain tracking)": async () => (await listen(bareForward, 0, '127.0.0.1', (req, res) => bareForward(req, res), 'node')).server,
  "+ Express's request and response classes": async () => (await listen(withExpressClasses(bareForward), 0)).server,
  "the gateway's forwarder on the platform's server": async () => (await listen(gatewayForward, 0, '127.0.0.1', (req, res) => gatewayForward(req, res), 'node')).server,
  '+ its breaker, and the security headers the canned answer lacks': async () => (await listen(breakerForward, 0, '127.0.0.1', (req, res) => breakerForward(req, res), 'node')).server,
  "the gateway's forwarder as one Express middleware": async () => (await listen(expressApp, 0)).server,
};

const server = await layers[process.env.LAYER]();
if (!server.listening) await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
server.keepAliveTimeout = 65_000;
process.stdout.write(`listening ${server.address().port}\n`);
process.on('SIGTERM', () => process.exit(0));
