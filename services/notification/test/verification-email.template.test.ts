import { expect } from 'chai';
import { renderVerificationEmail, type VerificationEmailInput } from '../src/domain/verification-email.template';

function input(overrides: Partial<VerificationEmailInput> = {}): VerificationEmailInput {
  return {
    shopName: 'Shop',
    firstName: 'Ada',
    verificationUrl: 'https://shop.example/verify?token=tok-123&lang=en',
    verificationToken: 'tok-123',
    expiresAt: new Date('2026-11-23T01:30:00Z'),
    reason: 'registered',
    ...overrides,
  };
}

describe('verification e-mail template', () => {
  it('when rendered, then the text contains the link, the token and when the link expires', () => {
    const mail = renderVerificationEmail(input());

    expect(mail.text).to.include('https://shop.example/verify?token=tok-123&lang=en');
    expect(mail.text).to.include('tok-123');
    expect(mail.text).to.include('expires on 2026-11-23 01:30 UTC');
    expect(mail.text).to.include('Hi Ada,');
  });

  it('when rendered, then the HTML links to the escaped URL and shows the token and the expiry', () => {
    const mail = renderVerificationEmail(input());

    expect(mail.html).to.include('href="https://shop.example/verify?token=tok-123&amp;lang=en"');
    expect(mail.html).to.include('<code>tok-123</code>');
    expect(mail.html).to.include('expires on 2026-11-23 01:30 UTC');
  });

  it('when names contain HTML, then the HTML part escapes them and the text part keeps them as written', () => {
    const mail = renderVerificationEmail(input({ firstName: '<script>alert("x")</script>', shopName: 'Tom & Jerry\'s' }));

    expect(mail.html).not.to.include('<script>');
    expect(mail.html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).to.include('Tom &amp; Jerry&#39;s');
    expect(mail.text).to.include('Hi <script>alert("x")</script>,');
    expect(mail.subject).to.include("Tom & Jerry's");
  });

  it('when the token contains markup, then the HTML part escapes it', () => {
    const mail = renderVerificationEmail(input({ verificationToken: 'a"><b>' }));

    expect(mail.html).to.include('<code>a&quot;&gt;&lt;b&gt;</code>');
  });

  it('when the reason differs, then the subject says why the mail came', () => {
    const subjects = (['registered', 'email-changed', 'resend'] as const).map((reason) => renderVerificationEmail(input({ reason })).subject);

    expect(subjects[0]).to.match(/welcome to shop/i);
    expect(subjects[1]).to.match(/new e-mail address/i);
    expect(subjects[2]).to.match(/new shop verification link/i);
  });

  it('when the link is not a web link, then rendering refuses it', () => {
    expect(() => renderVerificationEmail(input({ verificationUrl: 'javascript:alert(1)' }))).to.throw(/http/);
    expect(() => renderVerificationEmail(input({ verificationUrl: 'not a url' }))).to.throw(/not a URL/);
  });
});
