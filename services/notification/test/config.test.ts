import { expect } from 'chai';
import { loadNotificationConfig } from '../src/config';

describe('notification config', () => {
  it('when nothing is set, then the defaults point at local PostgreSQL, RabbitMQ and the SMTP sink', () => {
    const config = loadNotificationConfig({});

    expect(config.PORT).to.equal(3007);
    expect(config.DATABASE_URL).to.equal('postgres://postgres@127.0.0.1:5432/shop_notification');
    expect(config.SMTP_HOST).to.equal('127.0.0.1');
    expect(config.SMTP_PORT).to.equal(1025);
    expect(config.SMTP_SECURE).to.equal(false);
    expect(config.MAIL_FROM).to.equal('"Shop" <no-reply@shop.local>');
    expect(config.SHOP_NAME).to.equal('Shop');
    expect(config.CONSUMER_RETRY_DELAYS_MS).to.deep.equal([1000, 5000, 25000, 60000]);
    expect(config.OUTBOX_POLL_INTERVAL_MS).to.equal(1000);
  });

  it('when retry delays are given as a comma list, then they become numbers', () => {
    const config = loadNotificationConfig({ CONSUMER_RETRY_DELAYS_MS: '50, 50,100', SMTP_SECURE: 'true' });

    expect(config.CONSUMER_RETRY_DELAYS_MS).to.deep.equal([50, 50, 100]);
    expect(config.SMTP_SECURE).to.equal(true);
  });

  it('when retry delays are not numbers, then loading fails naming the key', () => {
    expect(() => loadNotificationConfig({ CONSUMER_RETRY_DELAYS_MS: '1s,5s' })).to.throw(/CONSUMER_RETRY_DELAYS_MS/);
    expect(() => loadNotificationConfig({ CONSUMER_RETRY_DELAYS_MS: '0' })).to.throw(/CONSUMER_RETRY_DELAYS_MS/);
  });

  it('when only one of SMTP_USER and SMTP_PASSWORD is set, then loading fails', () => {
    expect(() => loadNotificationConfig({ SMTP_USER: 'mailer' })).to.throw(/SMTP_PASSWORD/);
    expect(loadNotificationConfig({ SMTP_USER: 'mailer', SMTP_PASSWORD: 'secret' }).SMTP_USER).to.equal('mailer');
  });
});
