import { expect } from 'chai';
import { createRevokedSessions } from '../../src/revoked-sessions';

describe('gateway', () => {
  describe('revoked sessions', () => {
    const customerId = 'c-1';
    const sessionId = 's-1';

    it('when sessions were invalidated, then tokens issued before that second are revoked and later ones are not', () => {
      const store = createRevokedSessions({ retentionMs: 960_000 });
      store.record(customerId, new Date('2026-01-01T10:00:00.500Z'));
      const at = (iso: string) => Date.parse(iso) / 1000;
      expect(store.isRevoked({ customerId, sessionId, issuedAt: at('2026-01-01T09:59:59Z') })).to.equal(true);
      expect(store.isRevoked({ customerId, sessionId, issuedAt: at('2026-01-01T10:00:00Z') })).to.equal(true);
      expect(store.isRevoked({ customerId, sessionId, issuedAt: at('2026-01-01T10:00:01Z') })).to.equal(false);
      expect(store.isRevoked({ customerId: 'someone-else', sessionId: 's-2', issuedAt: at('2026-01-01T09:00:00Z') })).to.equal(false);
    });

    it('when single sessions ended, then every token of those sessions is revoked, whenever issued, and other sessions of the customer are not', () => {
      const store = createRevokedSessions({ retentionMs: 960_000 });
      store.recordSessions(['S-1'], new Date('2026-01-01T10:00:00Z'));
      const later = Date.parse('2026-01-01T11:00:00Z') / 1000;
      expect(store.isRevoked({ customerId, sessionId: 's-1', issuedAt: later })).to.equal(true);
      expect(store.isRevoked({ customerId, sessionId: 's-2', issuedAt: later })).to.equal(false);
    });

    it('when an older invalidation is recorded after a newer one, then the newer instant stays', () => {
      const store = createRevokedSessions({ retentionMs: 960_000 });
      store.record(customerId, new Date('2026-01-01T10:00:00Z'));
      store.record(customerId, new Date('2026-01-01T09:00:00Z'));
      expect(store.notBeforeOf(customerId)?.toISOString()).to.equal('2026-01-01T10:00:00.000Z');
    });

    it('when an invalidation is older than the retention, then it is forgotten', () => {
      let now = Date.parse('2026-01-01T10:00:00Z');
      const store = createRevokedSessions({ retentionMs: 960_000, now: () => now });
      store.record(customerId, new Date(now));
      store.record('c-2', new Date(now + 600_000));
      store.recordSessions(['s-old'], new Date(now));
      store.recordSessions(['s-new'], new Date(now + 600_000));
      now += 961_000;
      expect(store.size()).to.equal(2);
      expect(store.isRevoked({ customerId: 'c-3', sessionId: 's-old', issuedAt: now / 1000 })).to.equal(false);
      expect(store.isRevoked({ customerId: 'c-3', sessionId: 's-new', issuedAt: now / 1000 })).to.equal(true);
      expect(store.notBeforeOf(customerId)).to.equal(undefined);
      expect(store.notBeforeOf('c-2')).to.be.instanceOf(Date);
    });
  });
});
