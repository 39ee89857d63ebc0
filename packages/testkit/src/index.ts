export * from './run';
export * from './databases';
export * from './vhost';
export * from './logger';
export * from './wait';
export * from './http';
export { startMailSink, type MailSink, type CapturedMail } from '@shop/mail-sink';
export * from './tcp-proxy';
export * from './token-issuer';
