import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { answers, configLoaderOf, deployedProcesses, root, run, shopProcesses, STAND_INS } from './workspace.js';

interface ComposeService {
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  image?: string;
  container_name?: string;
  profiles?: string[];
  restart?: string;
  mem_limit?: string | number;
  deploy?: { resources?: { limits?: { memory?: string } } };
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string | number | null>;
  ports?: (string | { published?: string | number; target?: number; host_ip?: string })[];
  volumes?: (string | { source?: string; target?: string; type?: string })[];
}

/** What the services need from the operator's environment; the passwords keep their local defaults. */
const SECRETS = {
  MAIL_SEAL_KEY: 'ops-test-mail-seal-key-0123456789',
  PAYMENT_WEBHOOK_SECRET: 'ops-test-payment-webhook-secret',
  CARRIER_WEBHOOK_SECRET: 'ops-test-carrier-webhook-secret',
};

/** docker-compose v1, or the docker CLI's compose plugin; neither needs a Docker engine to render the file. */
function composeCommand(): [string, string[]] {
  if (answers('docker-compose', ['version'])) return ['docker-compose', []];
  if (answers('docker', ['compose', 'version'])) return ['docker', ['compose']];
  throw new Error('neither docker-compose nor `docker compose` is installed: .ci/run installs Debian\'s docker-compose (apt-get install docker-compose)');
}

/** `docker compose config`: the file as Compose reads it, variables filled in, every profile on. */
function renderCompose(extraEnv: Record<string, string>): Record<string, ComposeService> {
  const [command, prefix] = composeCommand();
  // Only what is given here: variables of the machine running the tests must not change the defaults checked.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, COMPOSE_PROFILES: 'observability', ...extraEnv };
  const text = run(command, [...prefix, '-f', 'docker-compose.yml', 'config'], env);
  return (YAML.parse(text) as { services: Record<string, ComposeService> }).services;
}

const environmentOf = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? '' : String(value)]));

/** The host ports a service publishes. */
function publishedPorts(service: ComposeService): string[] {
  return (service.ports ?? []).flatMap((port) => {
    if (typeof port === 'string') return port.split(':').length > 1 ? [port.replace(/\/(tcp|udp)$/, '')] : [];
    return port.published === undefined || port.published === '' ? [] : [`${port.host_ip ?? ''}:${port.published}:${port.target}`];
  });
}

describe('docker-compose.yml', function () {
  this.timeout(60_000);
  let services: Record<string, ComposeService>;
  const built = () => Object.entries(services).filter(([, s]) => s.build);

  before(() => {
    services = renderCompose(SECRETS);
  });

  it('when a secret the services need is not set, then Compose refuses to start and names it', () => {
    const { MAIL_SEAL_KEY: _unset, ...others } = SECRETS;
    expect(() => renderCompose(others)).to.throw(/MAIL_SEAL_KEY/);
  });

  it('then every process of the workspace (a package with src/main.ts) is a service built from its package, or has its stand-in', () => {
    for (const process of shopProcesses()) {
      const standIn = STAND_INS[process.packageName];
      if (standIn) {
        expect(services, `${process.packageName} is stood in for by ${standIn}`).to.have.property(standIn);
        continue;
      }
      const service = services[process.name];
      expect(service, `service ${process.name} for ${process.packageName}`).to.not.equal(undefined);
      expect(service!.build?.args?.PACKAGE, `${process.name}'s build argument PACKAGE`).to.equal(process.packageName);
      expect(service!.build?.dockerfile).to.match(/infra\/docker\/Dockerfile$/);
    }
    const packages = new Set(shopProcesses().map((p) => p.packageName));
    for (const [name, service] of built()) expect(packages, `${name} builds a package of the workspace`).to.include(service.build!.args?.PACKAGE);
  });

  it('then every service passes its own config validation with the environment Compose gives it, in production mode', async () => {
    for (const process of deployedProcesses()) {
      const env = environmentOf(services[process.name]!);
      expect(env.NODE_ENV, process.name).to.equal('production');
      const load = await configLoaderOf(process);
      expect(() => load(env), `${process.name}'s environment`).to.not.throw();
    }
  });

  it('then only the gateway, Mailpit\'s UI and RabbitMQ\'s UI publish host ports (and Grafana, in the observability profile), and no service has a fixed container name: any service scales with --scale', () => {
    const publishing = Object.entries(services)
      .filter(([, service]) => publishedPorts(service).length > 0)
      .map(([name]) => name)
      .sort();
    expect(publishing).to.deep.equal(['gateway', 'grafana', 'mailpit', 'rabbitmq']);
    expect(services.grafana!.profiles).to.deep.equal(['observability']);
    expect(publishedPorts(services.gateway!)).to.have.length(1);
    expect(publishedPorts(services.mailpit!).join()).to.match(/:8025:8025$/);
    expect(publishedPorts(services.rabbitmq!).join()).to.match(/:15672:15672$/);
    for (const [name, service] of Object.entries(services)) expect(service.container_name, `${name}'s container_name`).to.equal(undefined);
  });

  it('then every service has a health check, a restart policy and a memory limit, and waits for what it depends on to be healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test, `${name}'s health check`).to.not.equal(undefined);
      expect(service.healthcheck?.disable, `${name}'s health check`).to.not.equal(true);
      expect(service.restart, `${name}'s restart policy`).to.be.oneOf(['unless-stopped', 'always', 'on-failure']);
      expect(service.mem_limit ?? service.deploy?.resources?.limits?.memory, `${name}'s memory limit`).to.not.equal(undefined);
      const dependsOn = service.depends_on ?? {};
      expect(Array.isArray(dependsOn), `${name}'s depends_on names conditions`).to.equal(false);
      for (const [dependency, { condition }] of Object.entries(dependsOn as Record<string, { condition?: string }>)) {
        expect(condition, `${name} waits for ${dependency}`).to.equal('service_healthy');
        expect(services[dependency]?.healthcheck, `${dependency} has a health check for ${name} to wait on`).to.not.equal(undefined);
      }
    }
    for (const [name, service] of built()) {
      expect(Object.keys(service.depends_on ?? {}), `${name} starts after the broker`).to.include('rabbitmq');
      expect(String(service.healthcheck?.test), `${name}'s health check asks its operations port`).to.match(/OPS_PORT.*\/health\/(ready|live)/);
    }
  });

  it('then each service reaches PostgreSQL as a role of its own, to a database of its own, with the password the init script gives that role', () => {
    const postgres = services.postgres!;
    const passwords = Object.fromEntries(
      Object.entries(environmentOf(postgres))
        .map(([key, value]) => [/^SHOP_(\w+)_DB_PASSWORD$/.exec(key)?.[1]?.toLowerCase(), value] as const)
        .filter((entry): entry is readonly [string, string] => entry[0] !== undefined),
    );
    const seen: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const databaseUrl = environmentOf(service).DATABASE_URL;
      if (databaseUrl === undefined) continue;
      const url = new URL(databaseUrl);
      const database = url.pathname.slice(1);
      expect(url.hostname, name).to.equal('postgres');
      expect(decodeURIComponent(url.username), `${name}'s role is named after its database`).to.equal(database);
      const suffix = /^shop_(\w+)$/.exec(database)?.[1];
      expect(suffix, `${name}'s database ${database}`).to.be.a('string');
      expect(passwords, `POSTGRES has SHOP_${suffix!.toUpperCase()}_DB_PASSWORD for ${name}`).to.have.property(suffix!);
      expect(decodeURIComponent(url.password), `${name}'s password is its role's`).to.equal(passwords[suffix!]);
      expect(seen, `${database} belongs to one service`).to.not.include(database);
      seen.push(database);
    }
    expect(seen.map((d) => d.replace(/^shop_/, '')).sort(), 'every role the init script makes is used').to.deep.equal(Object.keys(passwords).sort());
    const mounts = (postgres.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(mounts.some((m) => /infra\/docker\/postgres-init:\/docker-entrypoint-initdb\.d/.test(m)), 'the init scripts are mounted').to.equal(true);
    const script = path.join(root, 'infra/docker/postgres-init/10-shop-roles.sh');
    expect(statSync(script).mode & 0o111, 'the init script is executable (the image sources it otherwise)').to.not.equal(0);
  });

  it('then Prometheus (observability profile) scrapes the operations port of every replica of every process, and Grafana is given it as data source with the shop\'s dashboard', () => {
    const config = YAML.parse(readFileSync(path.join(root, 'infra/docker/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; type: string; port: number }[] }[];
    };
    const discovered = config.scrape_configs.flatMap((job) => job.dns_sd_configs ?? []);
    for (const [name, service] of built()) {
      const entry = discovered.find((d) => d.names.includes(name));
      expect(entry, `a dns_sd_configs entry for ${name}`).to.not.equal(undefined);
      expect(entry!.type).to.equal('A');
      expect(entry!.port, `${name}'s OPS_PORT`).to.equal(Number(environmentOf(service).OPS_PORT));
    }
    expect(services.prometheus!.profiles).to.deep.equal(['observability']);

    const datasources = YAML.parse(readFileSync(path.join(root, 'infra/docker/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources[0]).to.include({ uid: 'prometheus', url: 'http://prometheus:9090' });
    const dashboard = JSON.parse(readFileSync(path.join(root, 'infra/docker/grafana/dashboards/shop-overview.json'), 'utf8')) as { panels: { targets?: { expr: string; datasource: { uid: string } }[] }[] };
    const targets = dashboard.panels.flatMap((panel) => panel.targets ?? []);
    for (const target of targets) expect(target.datasource.uid).to.equal('prometheus');
    const expressions = targets.map((t) => t.expr).join('\n');
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'outbox_oldest_unsent_age_seconds',
      'messaging_events_consumed_total',
      'messaging_event_lag_seconds_bucket',
      'rabbitmq_queue_messages',
      'gateway_circuit_breaker_state',
      'service_client_circuit_breaker_state',
    ]) {
      expect(expressions, `the dashboard shows ${metric}`).to.contain(metric);
    }
  });
});
