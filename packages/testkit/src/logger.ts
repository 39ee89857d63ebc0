import { createLogger, type Logger } from '@shop/platform';

/** Tests stay quiet unless TEST_LOG_LEVEL asks for logs. */
export function testLogger(service: string): Logger {
  const logger = createLogger(service, process.env.TEST_LOG_LEVEL ?? 'error');
  logger.silent = !process.env.TEST_LOG_LEVEL;
  return logger;
}
