import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import YAML from 'yaml';
import { answers, configLoaderOf, deployedProcesses, root, run } from './workspace.js';

/** A rendered Kubernetes object, loosely typed: the schemas check the shape, these tests the meaning. */
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

type Labels = Record<string, string>;

interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

const HPA_TARGETS = ['cart', 'catalog', 'gateway', 'order'];
const SECRET_LIKE = /PASSWORD|SECRET|_KEY$|^DATABASE_URL$|^AMQP_URL$|_PASS$/;

/** `kubectl kustomize`, which needs a kustomize of v4 or later (kubectl 1.21+) for these kustomizations. */
function kustomize(dir: string): K8sObject[] {
  if (!answers('kubectl', ['version', '--client'])) {
    throw new Error('kubectl is not installed: .ci/run installs it (Debian\'s kubernetes-client) when missing, or install kubectl 1.21+ yourself');
  }
  const version = JSON.parse(run('kubectl', ['version', '--client', '-o', 'json'])) as { kustomizeVersion?: string };
  const major = Number(/^v?(\d+)/.exec(version.kustomizeVersion ?? '')?.[1] ?? 0);
  if (major < 4) throw new Error(`kubectl's kustomize is ${version.kustomizeVersion ?? 'too old to say'}: these kustomizations need v4 or later (kubectl 1.21+)`);
  return YAML.parseAllDocuments(run('kubectl', ['kustomize', dir]))
    .map((document) => document.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

function matches(selector: LabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return key in labels && values.includes(labels[key]!);
    if (operator === 'NotIn') return !(key in labels) || !values.includes(labels[key]!);
    if (operator === 'Exists') return key in labels;
    return !(key in labels);
  });
  return byLabels && byExpressions;
}

/** A pod as NetworkPolicy sees it: its labels, whether it is in the shop's namespace, its container ports. */
interface Pod {
  labels: Labels;
  inNamespace: boolean;
  ports: { name?: string; containerPort: number }[];
}

/**
 * Whether NetworkPolicy lets `from` open a connection to `to` on `port` (a number): the policies
 * that select `to` for ingress each allow some sources on some ports, and any one will do; a pod
 * no policy selects takes everything.
 */
function admitted(policies: K8sObject[], from: Pod, to: Pod, port: number): boolean {
  const selecting = policies.filter((p) => (p.spec.policyTypes ?? ['Ingress']).includes('Ingress') && matches(p.spec.podSelector, to.labels) || (p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0));
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy.spec.ingress ?? []).some((rule: any) => {
      const sourceOk =
        !rule.from ||
        rule.from.some((peer: any) => {
          if (peer.ipBlock) return false;
          const namespaceOk = peer.namespaceSelector ? Object.keys(peer.namespaceSelector).length === 0 : from.inNamespace;
          const podOk = peer.podSelector ? Object.keys(peer.podSelector).length === 0 || matches(peer.podSelector, from.labels) : true;
          return namespaceOk && podOk;
        });
      const portOk =
        !rule.ports ||
        rule.ports.some((p: any) => (typeof p.port === 'number' ? p.port === port : to.ports.some((c) => c.name === p.port && c.containerPort === port)));
      return sourceOk && portOk;
    }),
  );
}

const workloadsOf = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');

function podOf(workload: K8sObject): Pod {
  return {
    labels: workload.spec.template.metadata.labels,
    inNamespace: true,
    ports: workload.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []),
  };
}

/** A workload's environment as its containers see it: env, then ConfigMaps and Secrets by envFrom. */
function environmentOf(objects: K8sObject[], workload: K8sObject): Record<string, string> {
  const env: Record<string, string> = {};
  const container = workload.spec.template.spec.containers[0];
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = objects.find((o) => o.kind === kind && o.metadata.name === ref.name);
    if (!object) throw new Error(`${workload.metadata.name} reads ${kind} ${ref.name}, which the overlay does not have`);
    for (const [key, value] of Object.entries(object.data ?? {})) env[key] = kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  for (const { name, value } of container.env ?? []) if (value !== undefined) env[name] = value;
  return env;
}

describe('infra/k8s', function () {
  this.timeout(60_000);
  let objects: K8sObject[];
  const shopWorkloads = () => workloadsOf(objects).filter((w) => w.metadata.labels?.['app.kubernetes.io/part-of'] === 'shop');
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  before(() => {
    objects = kustomize('infra/k8s/overlays/local');
  });

  it('when the base is rendered alone, then it holds no Secret and no secret in its settings', () => {
    const base = kustomize('infra/k8s/base');
    expect(base.filter((o) => o.kind === 'Secret')).to.deep.equal([]);
    for (const configMap of base.filter((o) => o.kind === 'ConfigMap')) {
      for (const key of Object.keys(configMap.data ?? {})) expect(key, `${configMap.metadata.name} holds ${key}`).to.not.match(SECRET_LIKE);
    }
  });

  it('then every object of the local overlay is valid against the Kubernetes API schemas', async () => {
    expect(objects.length).to.be.above(50);
    for (const object of objects) {
      const module = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`).catch(() => undefined)) as Record<string, new (data: unknown) => { validate(): void }> | undefined;
      const Model = module?.[object.kind];
      expect(Model, `a schema for ${object.apiVersion} ${object.kind}`).to.not.equal(undefined);
      const where = `${object.kind} ${object.metadata.name}`;
      // kustomize folds long base64 values over lines, which the API server's decoder ignores and the schema's `byte` format does not.
      const data = object.kind === 'Secret' && object.data ? Object.fromEntries(Object.entries(object.data).map(([k, v]) => [k, v.replace(/\s+/g, '')])) : object.data;
      expect(() => new Model!({ ...object, ...(data ? { data } : {}) }).validate(), where).to.not.throw();
      expect(object.metadata.namespace ?? (object.kind === 'Namespace' ? 'shop' : undefined), `${where}'s namespace`).to.equal('shop');
    }
  });

  it('then every process has a Deployment and a Service, probes on its operations port (readiness /health/ready, liveness /health/live), requests and limits, and a non-root, read-only container', () => {
    for (const process of deployedProcesses()) {
      const deployment = named('Deployment', process.name);
      expect(deployment, `Deployment ${process.name}`).to.not.equal(undefined);
      const service = named('Service', process.name);
      expect(service, `Service ${process.name}`).to.not.equal(undefined);
      expect(matches({ matchLabels: service!.spec.selector }, podOf(deployment!).labels), `Service ${process.name} selects its pods`).to.equal(true);
      const pod = deployment!.spec.template.spec;
      const [container] = pod.containers;
      expect(container.image, process.name).to.match(new RegExp(`^shop/${process.name}:`));
      expect(container.readinessProbe?.httpGet, `${process.name}'s readiness`).to.deep.equal({ path: '/health/ready', port: 'ops' });
      expect(container.livenessProbe?.httpGet, `${process.name}'s liveness`).to.deep.equal({ path: '/health/live', port: 'ops' });
      const env = environmentOf(objects, deployment!);
      expect(container.ports.find((p: any) => p.name === 'ops')?.containerPort, `${process.name}'s ops port is its OPS_PORT`).to.equal(Number(env.OPS_PORT));
      expect(container.ports.find((p: any) => p.name === 'http')?.containerPort, `${process.name}'s http port is its PORT`).to.equal(Number(env.PORT));
      expect(pod.securityContext?.runAsNonRoot, process.name).to.equal(true);
      expect(container.securityContext?.readOnlyRootFilesystem, process.name).to.equal(true);
      expect(pod.terminationGracePeriodSeconds, `${process.name} has time to drain`).to.be.at.least(Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000) / 1_000 + 5);
      expect(deployment!.spec.strategy?.rollingUpdate?.maxUnavailable, `${process.name} rolls without losing capacity`).to.equal(0);
    }
    for (const workload of workloadsOf(objects)) {
      for (const container of workload.spec.template.spec.containers) {
        for (const kind of ['requests', 'limits']) {
          expect(container.resources?.[kind], `${workload.metadata.name}'s ${kind}`).to.include.keys('cpu', 'memory');
        }
      }
    }
  });

  it('then the gateway, catalog, cart and order scale by a HorizontalPodAutoscaler, and every workload has a PodDisruptionBudget', () => {
    const autoscalers = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(autoscalers.map((h) => h.spec.scaleTargetRef.name).sort()).to.deep.equal(HPA_TARGETS);
    for (const hpa of autoscalers) {
      expect(named('Deployment', hpa.spec.scaleTargetRef.name), `the target of HPA ${hpa.metadata.name}`).to.not.equal(undefined);
      expect(hpa.spec.maxReplicas).to.be.above(hpa.spec.minReplicas);
    }
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
    for (const workload of shopWorkloads()) {
      const covering = budgets.filter((b) => matches(b.spec.selector, podOf(workload).labels));
      expect(covering, `PodDisruptionBudgets of ${workload.metadata.name}`).to.have.length(1);
    }
  });

  it('then every process passes its own config validation, in production mode, with the settings and Secrets of the local overlay, and secrets come from Secrets alone', async () => {
    for (const process of deployedProcesses()) {
      const deployment = named('Deployment', process.name)!;
      const env = environmentOf(objects, deployment);
      expect(env.NODE_ENV).to.equal('production');
      const load = await configLoaderOf(process);
      expect(() => load(env), `${process.name}'s environment`).to.not.throw();
      const container = deployment.spec.template.spec.containers[0];
      for (const { name } of container.env ?? []) expect(name, `${process.name} sets ${name} in its pod spec`).to.not.match(SECRET_LIKE);
      const secretRefs = (container.envFrom as any[]).filter((s) => s.secretRef).map((s) => s.secretRef.name as string);
      expect(secretRefs, `${process.name} reads its Secret`).to.have.length(1);
    }
    for (const configMap of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name !== 'postgres-init')) {
      for (const key of Object.keys(configMap.data ?? {})) expect(key, `ConfigMap ${configMap.metadata.name} holds ${key}`).to.not.match(SECRET_LIKE);
    }
  });

  it('then PostgreSQL makes its roles with the init script docker-compose uses, and each service connects as its role with that role\'s password', () => {
    const script = (file: string) => readFileSync(path.join(root, file), 'utf8');
    expect(script('infra/k8s/dependencies/postgres-init.sh'), 'the copy of infra/docker/postgres-init/10-shop-roles.sh').to.equal(script('infra/docker/postgres-init/10-shop-roles.sh'));
    const postgres = environmentOf(objects, named('StatefulSet', 'postgres')!);
    for (const workload of shopWorkloads()) {
      const databaseUrl = environmentOf(objects, workload).DATABASE_URL;
      if (databaseUrl === undefined) continue;
      const url = new URL(databaseUrl);
      const database = url.pathname.slice(1);
      expect(url.username, workload.metadata.name).to.equal(database);
      expect(url.password, `${workload.metadata.name}'s password`).to.equal(postgres[`SHOP_${database.replace(/^shop_/, '').toUpperCase()}_DB_PASSWORD`]);
    }
  });

  describe('NetworkPolicy', () => {
    const policies = () => objects.filter((o) => o.kind === 'NetworkPolicy');

    it('then every connection a process is configured to open (the services, PostgreSQL, RabbitMQ, SMTP, the provider) is admitted', () => {
      const services = objects.filter((o) => o.kind === 'Service');
      let checked = 0;
      for (const workload of workloadsOf(objects)) {
        const env = environmentOf(objects, workload);
        const targets = Object.values(env).flatMap((value) => {
          try {
            return [new URL(value)];
          } catch {
            return [];
          }
        });
        if (env.SMTP_HOST) targets.push(new URL(`smtp://${env.SMTP_HOST}:${env.SMTP_PORT ?? 25}`));
        for (const url of targets) {
          const service = services.find((s) => s.metadata.name === url.hostname);
          if (!service) continue;
          const defaultPorts: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgres:': 5432, 'amqp:': 5672, 'smtp:': 25 };
          const port = Number(url.port || defaultPorts[url.protocol]);
          const servicePort = service.spec.ports.find((p: any) => p.port === port);
          expect(servicePort, `${workload.metadata.name} calls ${url.hostname}:${port}, a port of Service ${service.metadata.name}`).to.not.equal(undefined);
          const target = workloadsOf(objects).find((w) => matches({ matchLabels: service.spec.selector }, podOf(w).labels))!;
          const targetPod = podOf(target);
          const containerPort = typeof servicePort.targetPort === 'number' ? servicePort.targetPort : targetPod.ports.find((p) => p.name === servicePort.targetPort)?.containerPort;
          expect(admitted(policies(), podOf(workload), targetPod, containerPort!), `${workload.metadata.name} -> ${url.hostname}:${port}`).to.equal(true);
          checked += 1;
        }
      }
      expect(checked, 'connections checked').to.be.above(30);
    });

    it("then a service's HTTP port (public and /internal routes) admits the gateway and shop services alone, its operations port Prometheus alone, and a stranger reaches only the gateway", () => {
      const stranger: Pod = { labels: { app: 'stranger' }, inNamespace: true, ports: [] };
      const prometheus: Pod = { labels: { 'app.kubernetes.io/name': 'prometheus' }, inNamespace: false, ports: [] };
      const workloads = workloadsOf(objects);
      const services = workloads.filter((w) => podOf(w).labels['app.kubernetes.io/component'] === 'service');
      expect(services.map((s) => s.metadata.name).sort()).to.deep.equal(deployedProcesses().map((p) => p.name).filter((n) => !['gateway', 'payment-sandbox'].includes(n)).sort());
      for (const service of services) {
        const pod = podOf(service);
        const http = pod.ports.find((p) => p.name === 'http')!.containerPort;
        const ops = pod.ports.find((p) => p.name === 'ops')!.containerPort;
        for (const other of workloads) {
          const labels = podOf(other).labels;
          if (labels['app.kubernetes.io/name'] === 'gateway' || labels['app.kubernetes.io/component'] === 'service') continue;
          expect(admitted(policies(), podOf(other), pod, http), `${other.metadata.name} -> ${service.metadata.name}:${http}`).to.equal(false);
        }
        expect(admitted(policies(), stranger, pod, http), `a stranger -> ${service.metadata.name}`).to.equal(false);
        expect(admitted(policies(), stranger, pod, ops), `a stranger -> ${service.metadata.name}'s operations port`).to.equal(false);
        expect(admitted(policies(), prometheus, pod, ops), `Prometheus -> ${service.metadata.name}'s operations port`).to.equal(true);
        expect(admitted(policies(), prometheus, pod, http), `Prometheus -> ${service.metadata.name}'s HTTP port`).to.equal(false);
      }
      const gateway = podOf(named('Deployment', 'gateway')!);
      expect(admitted(policies(), stranger, gateway, 8080), 'a stranger -> the gateway').to.equal(true);
      for (const name of ['postgres', 'rabbitmq', 'mailpit', 'payment-sandbox']) {
        const pod = podOf(workloads.find((w) => w.metadata.name === name)!);
        for (const { containerPort } of pod.ports) expect(admitted(policies(), stranger, pod, containerPort), `a stranger -> ${name}:${containerPort}`).to.equal(false);
      }
    });
  });
});
