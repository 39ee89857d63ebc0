import { expect } from 'chai';
import { openSealedSecret, sealSecret } from '../src/sealed-secret';

describe('sealed secrets', () => {
  const key = 'a-secret-both-sides-know';

  it('when a secret is sealed, then only its ciphertext shows and the same key opens it', () => {
    const sealed = sealSecret(key, 'tok_3f9a');
    expect(sealed).to.match(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.to.contain('tok_3f9a');
    expect(openSealedSecret(key, sealed)).to.equal('tok_3f9a');
  });

  it('when one secret is sealed twice, then the two seals differ (a fresh nonce each time)', () => {
    expect(sealSecret(key, 'same')).not.to.equal(sealSecret(key, 'same'));
  });

  it('when opened with another key, altered, or not a seal at all, then opening throws', () => {
    const sealed = sealSecret(key, 'tok_3f9a');
    expect(() => openSealedSecret('another-key-entirely', sealed)).to.throw();
    const [version, iv, ciphertext, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => openSealedSecret(key, [version, iv, flipped.toString('base64url'), tag].join('.'))).to.throw();
    expect(() => openSealedSecret(key, 'tok_3f9a')).to.throw(/known version/);
  });
});
