import { expect } from 'chai';
import { renderErasureConfirmation, type ErasureConfirmationInput } from '../src/domain/erasure-confirmation.template';

function input(overrides: Partial<ErasureConfirmationInput> = {}): ErasureConfirmationInput {
  return { shopName: 'Shop', firstName: 'Ada', erasedAt: new Date('2026-11-23T01:30:00Z'), ...overrides };
}

describe('erasure confirmation template', () => {
  it('when rendered, then the text greets the customer, says when the data was erased, what is kept, and that the address is forgotten too', () => {
    const mail = renderErasureConfirmation(input());

    expect(mail.subject).to.equal('Your Shop account and personal data have been erased');
    expect(mail.text).to.include('Hi Ada,');
    expect(mail.text).to.include('on 2026-11-23 01:30 UTC');
    expect(mail.text).to.include('without your name, e-mail address or shipping address');
    expect(mail.text).to.include('we forget this address too');
  });

  it('when rendered, then the HTML says the same', () => {
    const mail = renderErasureConfirmation(input());

    expect(mail.html).to.include('<p>Hi Ada,</p>');
    expect(mail.html).to.include('on 2026-11-23 01:30 UTC');
    expect(mail.html).to.include('<li>Your account is closed and you are signed out everywhere.</li>');
    expect(mail.html).to.include('we forget this address too');
  });

  it('when there is no first name, then the mail greets without one', () => {
    const mail = renderErasureConfirmation(input({ firstName: undefined }));

    expect(mail.text.startsWith('Hello,\n')).to.equal(true);
    expect(mail.html).to.include('<p>Hello,</p>');
  });

  it('when names contain HTML, then the HTML part escapes them and the text part keeps them as written', () => {
    const mail = renderErasureConfirmation(input({ firstName: '<b>Ada</b>', shopName: "Tom & Jerry's" }));

    expect(mail.html).not.to.include('<b>Ada</b>');
    expect(mail.html).to.include('&lt;b&gt;Ada&lt;/b&gt;');
    expect(mail.html).to.include('Tom &amp; Jerry&#39;s');
    expect(mail.text).to.include('Hi <b>Ada</b>,');
  });
});
