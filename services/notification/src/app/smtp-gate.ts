import { type Logger } from '@shop/platform';

/**
 * Whether mails are sent now. A send that cannot reach the SMTP server closes the gate: no more
 * mails are claimed (so none spends its retries on an outage), and the server is probed every
 * `probeIntervalMs` until it answers; then the gate opens and the dispatcher is woken.
 */
export interface SmtpGate {
  readonly open: boolean;
  /** A send found the server unreachable. */
  unreachable(error: unknown): void;
  stop(): void;
}

export function createSmtpGate(options: { probe: () => Promise<void>; probeIntervalMs: number; onOpen: () => void; logger: Logger }): SmtpGate {
  let open = true;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void probe(), options.probeIntervalMs);
    timer.unref();
  };
  const probe = async () => {
    try {
      await options.probe();
    } catch {
      schedule();
      return;
    }
    open = true;
    options.logger.info('SMTP server reachable again; sending resumes');
    options.onOpen();
  };

  return {
    get open() {
      return open;
    },
    unreachable(error) {
      if (!open || stopped) return;
      open = false;
      options.logger.warn('SMTP server unreachable; sending pauses until it answers', { error: error instanceof Error ? error.message : String(error) });
      schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
