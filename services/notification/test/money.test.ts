import { expect } from 'chai';
import { formatMoney } from '../src/domain/money';

describe('money in mails', () => {
  it('when the currency has cents, then minor units become the amount with its symbol', () => {
    expect(formatMoney({ amount: 4820, currency: 'USD' })).to.equal('$48.20');
    expect(formatMoney({ amount: 5, currency: 'USD' })).to.equal('$0.05');
    expect(formatMoney({ amount: 123456789, currency: 'EUR' })).to.equal('€1,234,567.89');
  });

  it('when the currency has no minor unit or three, then the amount is divided by its own minor units', () => {
    expect(formatMoney({ amount: 3800, currency: 'JPY' })).to.equal('¥3,800');
    expect(formatMoney({ amount: 1500, currency: 'KWD' })).to.match(/^KWD\s1\.500$/);
  });

  it('when the amount is zero or negative, then it is formatted as such', () => {
    expect(formatMoney({ amount: 0, currency: 'USD' })).to.equal('$0.00');
    expect(formatMoney({ amount: -250, currency: 'USD' })).to.equal('-$2.50');
  });
});
