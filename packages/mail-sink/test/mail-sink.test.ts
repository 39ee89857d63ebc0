import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { startMailSink } from '../src/index';
import type { MailSink } from '../src/index';

type ListResponse = {
  total: number;
  count: number;
  messages: { ID: string; To: { Name: string; Address: string }[]; Subject: string; Created: string; Snippet: string }[];
};

describe('mail sink', () => {
  let sink: MailSink;
  let api: string;

  async function send(to: string, subject: string): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: '"Shop" <shop@example.test>',
      to: `"Ada Lovelace" <${to}>`,
      subject,
      text: `Hello from ${subject}`,
      html: `<p>Hello from <b>${subject}</b></p>`,
    });
    transport.close();
  }

  async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${api}${path}`);
    return { status: res.status, body: (await res.json()) as T };
  }

  before(async () => {
    sink = await startMailSink({ smtpPort: 0, httpPort: 0 });
    api = `http://127.0.0.1:${sink.httpPort}`;
  });

  after(async () => {
    await sink.close();
  });

  beforeEach(() => {
    sink.clear();
  });

  it('when started on port 0, then it reports the real ports and is live', async () => {
    expect(sink.smtpPort).to.be.greaterThan(0);
    expect(sink.httpPort).to.be.greaterThan(0);
    const res = await fetch(`${api}/health/live`);
    expect(res.status).to.equal(200);
  });

  it('when a mail is sent, then waitForMail resolves with its parsed content', async () => {
    const waiting = sink.waitForMail((m) => m.subject === 'Welcome');
    await send('ada@example.test', 'Welcome');
    const mail = await waiting;

    expect(mail.from).to.deep.equal({ name: 'Shop', address: 'shop@example.test' });
    expect(mail.to).to.deep.equal([{ name: 'Ada Lovelace', address: 'ada@example.test' }]);
    expect(mail.text).to.contain('Hello from Welcome');
    expect(mail.html).to.contain('<b>Welcome</b>');
    expect(mail.date).to.be.instanceOf(Date);
    expect(mail.size).to.be.greaterThan(0);
    expect(mail.messageId).to.be.a('string').and.not.match(/^</);
  });

  it('when a matching mail was already captured, then waitForMail resolves with it at once', async () => {
    await send('ada@example.test', 'Already here');
    const mail = await sink.waitForMail((m) => m.subject === 'Already here', 100);
    expect(mail.subject).to.equal('Already here');
  });

  it('when mails are captured, then the list shows them newest first with To, Subject and Created', async () => {
    await send('ada@example.test', 'First');
    await send('bob@example.test', 'Second');

    const { status, body } = await getJson<ListResponse>('/api/v1/messages');
    expect(status).to.equal(200);
    expect(body.total).to.equal(2);
    expect(body.count).to.equal(2);
    expect(body.messages.map((m) => m.Subject)).to.deep.equal(['Second', 'First']);
    const [second] = body.messages;
    expect(second?.To).to.deep.equal([{ Name: 'Ada Lovelace', Address: 'bob@example.test' }]);
    expect(new Date(second?.Created ?? '').toISOString()).to.equal(second?.Created);
    expect(second?.Snippet).to.equal('Hello from Second');

    const limited = await getJson<ListResponse>('/api/v1/messages?limit=1');
    expect(limited.body).to.include({ total: 2, count: 1 });
  });

  it('when a message is fetched by id, then it returns Text and HTML', async () => {
    await send('ada@example.test', 'Details');
    const { id } = await sink.waitForMail((m) => m.subject === 'Details');

    const { status, body } = await getJson<Record<string, unknown>>(`/api/v1/message/${id}`);
    expect(status).to.equal(200);
    expect(body).to.include({ ID: id, Subject: 'Details' });
    expect(body.Text).to.contain('Hello from Details');
    expect(body.HTML).to.contain('<b>Details</b>');
    expect(body.From).to.deep.equal({ Name: 'Shop', Address: 'shop@example.test' });
  });

  it('when an unknown message id is fetched, then it answers 404 NOT_FOUND', async () => {
    const { status, body } = await getJson<{ error: { code: string; message: string } }>('/api/v1/message/nope');
    expect(status).to.equal(404);
    expect(body.error.code).to.equal('NOT_FOUND');
    expect(body.error.message).to.be.a('string');
  });

  it('when searching by to:, then only mail to that address is listed', async () => {
    await send('ada@example.test', 'For Ada');
    await send('bob@example.test', 'For Bob');

    const { status, body } = await getJson<ListResponse>(`/api/v1/search?query=${encodeURIComponent('to:BOB@example.test')}`);
    expect(status).to.equal(200);
    expect(body.count).to.equal(1);
    expect(body.messages[0]?.Subject).to.equal('For Bob');
  });

  it('when the messages are deleted, then the list is empty', async () => {
    await send('ada@example.test', 'Doomed');
    const res = await fetch(`${api}/api/v1/messages`, { method: 'DELETE' });
    expect(res.status).to.equal(200);

    const { body } = await getJson<ListResponse>('/api/v1/messages');
    expect(body).to.include({ total: 0, count: 0 });
    expect(sink.messages()).to.deep.equal([]);
  });

  it('when clear is called, then the list is empty', async () => {
    await send('ada@example.test', 'Also doomed');
    sink.clear();
    const { body } = await getJson<ListResponse>('/api/v1/messages');
    expect(body.messages).to.deep.equal([]);
  });

  it('when no mail matches, then waitForMail rejects after the timeout', async () => {
    const started = Date.now();
    const err = await sink.waitForMail((m) => m.subject === 'never', 150).then(
      () => expect.fail('waitForMail should have rejected'),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.match(/no matching mail arrived within 150 ms/);
    expect(Date.now() - started).to.be.at.least(140);
  });
});
