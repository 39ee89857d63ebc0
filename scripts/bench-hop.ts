/**
 * The references every browsing figure is judged against, and the gateway's own hop: a bare
 * `node:http` server answering a canned body, a bare keep-alive `node:http` proxy in front of it,
 * and the gateway (compiled, with its token check, rate limit, correlation id, breaker and metrics
 * all on) in front of the same server. Each runs as a process of its own.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '@shop/platform';
import { freePort, testAmqpUrl } from '@shop/testkit';
import { root, track, waitFor } from './bench-kit';

/** A started reference process and where it listens. */
export interface Listening {
  url: string;
  pid: number;
}

/** Starts one of the plain reference scripts and waits for the port it prints. */
async function startReference(name: string, script: string, env: Record<string, string>): Promise<Listening> {
  const child = spawn(process.execPath, [...profileArgs(name.replace(/ /g, '-')), path.join(root, 'scripts/bench', script)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  track(name, child);
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`${name}: ${line}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid! };
}

/** The canned upstream, its token keys, and a token it vouches for. */
export interface References {
  server: Listening;
  proxy: Listening;
  gateway: Listening;
  /** A customer's access token the gateway verifies against the server's JWKS. */
  token: string;
}

/** Starts the bare server, the bare proxy and a compiled gateway with every upstream set to the bare server. */
export async function startReferences(): Promise<References> {
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const token = await new SignJWT({ role: 'customer', sid: randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setSubject(randomUUID())
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);
  const server = await startReference('bare server', 'canned-upstream.mjs', { JWKS_JSON: jwks });
  const proxy = await startReference('bare proxy', 'bare-proxy.mjs', { UPSTREAM_URL: server.url });
  const [port, opsPort] = [await freePort(), await freePort()];
  const upstreams = Object.fromEntries(['CUSTOMER', 'CATALOG', 'INVENTORY', 'CART', 'ORDER', 'PAYMENT', 'NOTIFICATION'].map((s) => [`${s}_SERVICE_URL`, server.url]));
  const child = spawn(process.execPath, [...profileArgs('gateway'), path.join(root, 'gateway/dist/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      OPS_PORT: String(opsPort),
      AMQP_URL: await testAmqpUrl(),
      ...upstreams,
      // High enough never to refuse the load, low enough that every request is counted.
      RATE_LIMIT_MAX: '100000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  track('gateway (reference)', child);
  await waitFor(`http://127.0.0.1:${opsPort}/health/ready`);
  return { server, proxy, gateway: { url: `http://127.0.0.1:${port}`, pid: child.pid! }, token };
}

/**
 * BENCH_PROFILE=<dir> starts the shop's processes with V8's CPU profiler, one .cpuprofile per
 * process in that directory, written as it stops (open them in Chrome DevTools).
 */
export function profileArgs(name: string): string[] {
  const dir = process.env.BENCH_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}
