import winston from 'winston';
import { currentContext } from './context.js';

export type Logger = winston.Logger;

const addContext = winston.format((info) => {
  info.correlationId ??= currentContext().correlationId;
  return info;
});

/** JSON logs to stdout, one line per entry, each with the service name and a correlationId. */
export function createLogger(service: string, level = 'info'): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { service },
    format: winston.format.combine(addContext(), winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Console()],
  });
}
